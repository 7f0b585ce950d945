-- wrk script for bench-serve.sh: POST /v1/triage, rotating over English and French notes of the shipped corpus's
-- kind, so each request builds, tokenizes and scores a real prompt.
local notes = {
  '{"text":"58 year old man with crushing chest pain radiating to the left arm for 40 minutes, sweating, BP 90/60.","lang":"en"}',
  '{"text":"Child with a mild sore throat for two days, eating and drinking normally, temperature 37.8.","lang":"en"}',
  '{"text":"Woman with a sprained ankle after a fall this morning, can bear weight, pain 4/10.","lang":"en"}',
  '{"text":"Sudden weakness of the right arm and slurred speech that started 30 minutes ago.","lang":"en"}',
  '{"text":"Homme de 70 ans, douleur thoracique brutale depuis une heure, saturation 88 %, pâle et en sueur.","lang":"fr"}',
  '{"text":"Patiente avec une toux depuis une semaine, pas de fièvre, respire normalement.","lang":"fr"}',
  '{"text":"Enfant avec une coupure au doigt, saignement arrêté, douleur 2/10.","lang":"fr"}',
  '{"text":"Femme de 35 ans, douleur abdominale depuis hier, fièvre à 38,5, vomissements.","lang":"fr"}',
}
local i = 0
request = function()
  i = i % #notes + 1
  return wrk.format("POST", "/v1/triage", {["Content-Type"] = "application/json"}, notes[i])
end
