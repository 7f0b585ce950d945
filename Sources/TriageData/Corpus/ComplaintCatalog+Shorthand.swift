/// Clinical shorthand for every catalog presentation, and presentations added for issue 16.
///
/// Why: the first catalog wrote each presentation in two or three full noun phrases, so a model trained on it
/// learnt those phrases rather than the presentation; notes written by people say the same thing in triage-desk
/// shorthand (`CP radiating to L arm, diaphoretic`, `DRS constrictive irradiant au MSG`). These phrases are
/// appended to the presentation's own (`ComplaintCatalog.p`), so the generator draws them as often as the others
/// and the anonymisation score counts their words as clinical vocabulary.
extension ComplaintCatalog {
    /// Extra (English, French) phrases per presentation, keyed by the presentation's `cue`.
    static let shorthand: [String: (en: [String], fr: [String])] = [
        "chest pain radiating with sweating": (
            en: ["CP radiating to L arm, diaphoretic", "central chest tightness into the jaw, grey and sweaty",
                 "chest pain ++ with sweats and nausea", "pressure-like chest pain radiating to the left shoulder, clammy"],
            fr: ["DRS constrictive irradiant au bras gauche, en sueurs", "oppression thoracique avec sueurs profuses",
                 "douleur thoracique type serrement irradiant à la mâchoire, marbré", "DT constrictive avec nausées et sueurs"]),
        "pleuritic chest pain": (
            en: ["L sided pleuritic CP", "sharp chest pain on deep breath", "chest pain worse on inspiration and coughing"],
            fr: ["douleur basithoracique D majorée à l'inspiration", "DT en coup de poignard rythmée par la respiration"]),
        "reproducible chest wall pain": (
            en: ["chest wall pain, tender on palpation", "musculoskeletal CP, reproducible on pressing",
                 "sore ribs after a fall onto the sofa, tender to touch"],
            fr: ["douleur pariétale reproduite à la palpation", "DT mécanique, reproductible à la pression",
                 "mal aux côtes au toucher depuis un effort"]),
        "acute focal neurological deficit": (
            en: ["sudden R arm weakness + slurred speech", "new facial droop and aphasia", "acute L sided weakness, ?CVA",
                 "suddenly can't lift the right arm and speech is garbled"],
            fr: ["hémiparésie droite brutale avec aphasie", "paralysie faciale et trouble de la parole brutal, ?AVC",
                 "déficit moteur brutal hémicorps G", "bouche de travers et ne trouve plus ses mots depuis ce matin"]),
        "resolved transient neurological symptoms": (
            en: ["?TIA, arm numbness 10 min, resolved", "transient speech disturbance, now back to baseline"],
            fr: ["?AIT, engourdissement d'un bras 10 min, régressif", "trouble de la parole transitoire, récupération complète"]),
        "severe respiratory distress": (
            en: ["SOB ++, can't complete sentences", "severe resp distress, cyanosed", "struggling to breathe, using accessory muscles",
                 "acutely SOB, speaking in single words"],
            fr: ["dyspnée ++, parle par mots", "détresse respiratoire, cyanose des lèvres", "tirage, polypnée, épuisement respiratoire",
                 "respire très mal, ne peut pas parler"]),
        "asthma flare speaking in sentences": (
            en: ["wheezy, asthma flare, talking in full sentences", "exacerbation of asthma, inhaler not helping much",
                 "SOBOE and wheeze"],
            fr: ["crise d'asthme, sibilants, parle normalement", "exacerbation d'asthme malgré ventoline",
                 "dyspnée d'effort et sifflements"]),
        "mild cough": (
            en: ["dry cough x1/52, no SOB, no fever", "cough and runny nose", "tickly cough, otherwise well", "cold symptoms and a cough"],
            fr: ["toux sèche depuis 8 j, pas de dyspnée", "rhume avec toux", "toux et nez qui coule, bon état général"]),
        "anaphylaxis": (
            en: ["lip and tongue swelling + wheeze after peanuts", "anaphylaxis after a wasp sting, hives and SOB",
                 "throat closing up after eating prawns, swollen face"],
            fr: ["œdème des lèvres et de la langue avec sibilants après des cacahuètes", "choc anaphylactique après piqûre de guêpe",
                 "gorge qui gonfle et urticaire géante après un repas"]),
        "localised reaction": (
            en: ["local swelling around an insect bite", "itchy red patch where a mosquito bit"],
            fr: ["réaction locale autour d'une piqûre d'insecte", "plaque rouge qui gratte après une piqûre"]),
        "localised abdominal pain": (
            en: ["RIF pain since this morning", "abdo pain, right lower quadrant, anorexic", "RUQ pain after fatty meals, vomited twice",
                 "LIF pain and loose stools"],
            fr: ["douleur FID depuis ce matin", "douleur abdo hypochondre droit après un repas gras",
                 "douleur FIG avec selles molles", "mal au ventre à droite, a vomi deux fois"]),
        "mild indigestion": (
            en: ["heartburn after meals", "indigestion, settles with antacids", "epigastric burning, no vomiting"],
            fr: ["brûlures d'estomac après les repas", "pyrosis calmé par les pansements gastriques", "dyspepsie sans vomissement"]),
        "uncontrolled haemorrhage": (
            en: ["deep cut to the thigh, bleeding through the dressings", "arterial bleed from the forearm, pumping",
                 "massive bleeding that won't stop with pressure"],
            fr: ["plaie de cuisse qui saigne à travers le pansement", "saignement artériel en jet de l'avant-bras",
                 "hémorragie qui ne s'arrête pas malgré la compression"]),
        "laceration needing sutures": (
            en: ["lac to the hand, gaping, bleeding controlled", "cut on the shin from a garden tool, needs stitches",
                 "3 cm wound on the forehead, edges gaping"],
            fr: ["plaie de la main, béante, saignement contrôlé", "plaie du tibia par un outil de jardin, à suturer",
                 "plaie du front de 3 cm"]),
        "minor graze": (
            en: ["superficial graze to the knee", "small scratch from a cat, not bleeding"],
            fr: ["écorchure superficielle du genou", "petite griffure de chat"]),
        "major trauma mechanism": (
            en: ["RTC at high speed, car rolled", "fall from a 2nd floor balcony", "MVC, ejected from the vehicle",
                 "hit by a car at 50 km/h"],
            fr: ["AVP à haute cinétique, tonneaux", "défenestration du 2e étage", "piéton renversé par une voiture à 50 km/h",
                 "chute d'un échafaudage de plusieurs mètres"]),
        "suspected fracture": (
            en: ["?# wrist after FOOSH, deformed", "swollen painful ankle, can't weight bear", "?fractured collar bone after a bike fall"],
            fr: ["?fracture du poignet après une chute, déformation", "cheville gonflée, appui impossible",
                 "traumatisme de la clavicule après une chute de vélo"]),
        "minor sprain": (
            en: ["twisted ankle, walking on it", "mild wrist sprain, full movement", "sprained ankle playing football, weight bearing"],
            fr: ["entorse bénigne de la cheville, marche possible", "torsion du poignet, mobilité conservée",
                 "s'est tordu la cheville au foot, appui possible"]),
        "head injury with reduced consciousness": (
            en: ["head injury, GCS dropping, drowsy", "hit head, LOC and now confused", "head trauma, responds only to pain"],
            fr: ["TC avec PC, somnolent", "traumatisme crânien avec confusion et somnolence croissante",
                 "TC, ne répond qu'à la douleur"]),
        "head injury with vomiting": (
            en: ["head injury, vomited x2 since", "bumped head, vomiting and headache, alert"],
            fr: ["TC sans PC, 2 vomissements depuis", "choc à la tête avec vomissements et céphalées, conscient"]),
        "ongoing seizure": (
            en: ["fitting for 10 min, still seizing", "continuous tonic-clonic seizure", "seizure not stopping after rescue meds"],
            fr: ["crise convulsive en cours depuis 10 min", "état de mal épileptique", "convulse toujours malgré le midazolam"]),
        "single self-limited seizure": (
            en: ["one fit at home, now back to normal", "single seizure, post-ictal, recovering"],
            fr: ["une crise convulsive à domicile, récupérée", "crise unique, phase post-critique résolutive"]),
        "fever with a focus": (
            en: ["fever with dysuria and loin pain", "productive cough and fever, ?chest infection", "hot, red swollen leg, ?cellulitis"],
            fr: ["fièvre avec brûlures mictionnelles et douleur lombaire", "toux grasse fébrile, ?pneumopathie",
                 "jambe rouge chaude gonflée, ?érysipèle"]),
        "mild viral illness": (
            en: ["coryza and aches", "viral sx, sore throat, eating and drinking", "feels fluey, achy"],
            fr: ["syndrome grippal, courbatures", "état viral, mal de gorge, s'alimente bien", "rhinopharyngite"]),
        "thunderclap headache": (
            en: ["sudden worst headache ever, maximal at onset", "thunderclap headache while straining", "explosive occipital headache"],
            fr: ["céphalée brutale en coup de tonnerre", "pire mal de tête de sa vie, d'emblée maximal",
                 "céphalée occipitale explosive à l'effort"]),
        "migraine not responding": (
            en: ["migraine, usual meds not working", "known migraineur, headache for 2 days despite triptan"],
            fr: ["migraine résistante au traitement habituel", "migraineuse connue, céphalée depuis 2 j malgré triptan"]),
        "tension headache": (
            en: ["band-like headache, no red flags", "mild headache, usual type"],
            fr: ["céphalée en casque, pas de signe de gravité", "mal de tête habituel, modéré"]),
        "urinary retention": (
            en: ["unable to pass urine, painful bladder", "AUR, palpable bladder", "no urine since last night, lower abdo pain"],
            fr: ["RAU, globe vésical", "n'arrive plus à uriner depuis hier soir", "rétention urinaire douloureuse"]),
        "simple urinary symptoms": (
            en: ["dysuria and frequency, no fever", "burning when peeing, ?UTI"],
            fr: ["brûlures mictionnelles, pas de fièvre", "pollakiurie, ?cystite"]),
        "minor ENT complaint": (
            en: ["sore throat, swallowing ok", "earache and blocked ear", "blocked nose and sinus pain"],
            fr: ["mal de gorge, déglutit bien", "otalgie, oreille bouchée", "sinusite, nez bouché"]),
        "minor skin complaint": (
            en: ["itchy rash on the arms", "spot on the back that has grown", "eczema flare"],
            fr: ["éruption qui gratte sur les bras", "bouton sur le dos", "poussée d'eczéma"]),
        "back pain with tearing quality": (
            en: ["sudden tearing back pain into the abdomen", "ripping interscapular pain, ?dissection"],
            fr: ["douleur dorsale déchirante brutale", "douleur interscapulaire en coup de poignard, ?dissection"]),
        "mechanical back pain": (
            en: ["lower back pain after lifting, no red flags", "chronic LBP, mobile", "back ache, walking fine"],
            fr: ["lombalgie après un effort de soulèvement", "lombalgie chronique, marche sans difficulté", "mal de dos mécanique"]),
        "active suicidal intent": (
            en: ["suicidal, has a plan and means", "wants to end it all tonight", "SI with a plan"],
            fr: ["idées suicidaires avec scénario", "veut en finir ce soir", "IDS avec plan et moyens"]),
        "acute anxiety": (
            en: ["panic attack, hyperventilating", "acute anxiety, palpitations, tingling hands"],
            fr: ["crise d'angoisse, hyperventilation", "attaque de panique avec palpitations"]),
        "administrative request": (
            en: ["repeat prescription", "lost meds, needs a new script", "needs a sick note"],
            fr: ["renouvellement d'ordonnance", "a perdu son ordonnance", "certificat médical demandé"]),
    ]

    /// Presentations that only one sex and an age range can have: the generator draws the case's sex and age
    /// from here instead (a man is never written with a pregnancy).
    static let demographics: [String: (sex: ClinicalCase.Sex, ages: ClosedRange<Int>)] = [
        "suspected ruptured ectopic pregnancy": (.female, 16...44),
        "bleeding in early pregnancy": (.female, 16...44),
        "sudden testicular pain": (.male, 10...60),
    ]

    /// Common front-door presentations the first catalog lacked, with the tier of the nearest catalog presentation
    /// (docs/corpus.md §2): `ComplaintCatalog.extended` lists them after the first sixteen, which keep their indices.
    static let added: [Complaint] = [
        Complaint(name: "poisoning", presentations: [
            p(.immediate, "overdose with reduced consciousness", 0.5...6,
              en: ["drowsy after taking a lot of tablets, barely rousable", "found unresponsive with empty pill packets",
                   "heroin use, pinpoint pupils, breathing slowly", "OD, GCS low, snoring respirations"],
              fr: ["somnolence après une prise massive de comprimés", "retrouvé inconscient avec des boîtes de médicaments vides",
                   "intoxication aux opiacés, myosis serré, respire lentement", "IMV, GCS bas, difficilement réveillable"]),
            p(.immediate, "deliberate overdose", 0.5...12,
              en: ["took 30 paracetamol on purpose an hour ago", "deliberate overdose of his antidepressants, wants to die"],
              fr: ["a avalé volontairement 30 comprimés de paracétamol", "IMV volontaire d'antidépresseurs, veut mourir"]),
            p(.medium, "accidental ingestion, alert", 0.5...6,
              en: ["swallowed a few of grandma's tablets by accident, alert and playing",
                   "accidentally drank a sip of bleach, no symptoms"],
              fr: ["a avalé par erreur quelques comprimés de sa grand-mère, bien réveillé",
                   "ingestion accidentelle d'une gorgée d'eau de javel, asymptomatique"]),
        ]),
        Complaint(name: "diabetes", presentations: [
            p(.immediate, "hypoglycaemia with reduced consciousness", 0.2...3,
              en: ["diabetic, sweaty and confused, sugar 1.8", "hypo, not rousable, on insulin", "low blood sugar and drowsy"],
              fr: ["diabétique, confus et en sueurs, glycémie à 0,3 g/L", "hypoglycémie sévère, ne répond pas",
                   "hypo sous insuline, somnolent"]),
            p(.immediate, "ketoacidosis with altered consciousness", 6...48,
              en: ["T1DM, vomiting, deep sighing breathing, drowsy, ketones high", "?DKA, confused, sugar HI"],
              fr: ["DT1, vomissements, respiration ample, somnolent, cétonurie ++", "?acidocétose, confus, glycémie très haute"]),
            p(.medium, "high sugars with vomiting, alert", 6...48,
              en: ["diabetic with high sugars and vomiting, alert", "sugars running high for two days, thirsty, alert"],
              fr: ["diabétique, glycémies élevées et vomissements, conscient", "déséquilibre glycémique depuis 2 j, soif, bien réveillé"]),
            p(.delayed, "diabetes review", 48...720,
              en: ["wants his diabetes meds reviewed", "sugar a bit high at home, feels well"],
              fr: ["souhaite faire le point sur son diabète", "glycémie un peu haute à domicile, se sent bien"]),
        ]),
        Complaint(name: "burns and heat", presentations: [
            p(.immediate, "major burn or airway burn", 0.1...2,
              en: ["burns to the face with singed nostrils and hoarse voice", "extensive burns to the chest and both arms after a house fire",
                   "scalded over a large part of the body"],
              fr: ["brûlure du visage avec vibrisses brûlées et voix rauque", "brûlures étendues du thorax et des deux bras après un incendie",
                   "ébouillanté sur une grande partie du corps"]),
            p(.immediate, "heat stroke with confusion", 0.5...6,
              en: ["collapsed in the heat, confused and hot to touch", "heat stroke after a marathon, disorientated"],
              fr: ["malaise en pleine chaleur, confus, peau brûlante", "coup de chaleur après une course, désorienté"]),
            p(.medium, "partial-thickness burn", 0.2...12,
              en: ["blistered burn to the hand from a pan", "scald to the forearm, blisters, palm-sized"],
              fr: ["brûlure du 2e degré de la main avec phlyctènes", "brûlure de l'avant-bras par de l'eau bouillante, phlyctènes"]),
            p(.delayed, "minor superficial burn", 1...48,
              en: ["small red burn on a finger from the oven, no blisters", "mild sunburn"],
              fr: ["petite brûlure superficielle d'un doigt, sans phlyctène", "coup de soleil"]),
        ]),
        Complaint(name: "eye and teeth", presentations: [
            p(.medium, "chemical eye injury", 0.1...3,
              en: ["splash of cleaning product in the eye, burning", "chemical in the eye at work"],
              fr: ["projection de produit ménager dans l'œil, brûlure", "projection chimique oculaire au travail"]),
            p(.delayed, "red eye without visual loss", 24...168,
              en: ["sticky red eye, vision normal", "conjunctivitis, both eyes"],
              fr: ["œil rouge qui colle, vision normale", "conjonctivite bilatérale"]),
            p(.delayed, "dental pain without airway signs", 24...336,
              en: ["toothache for days", "dental abscess, swelling of the gum, swallowing fine"],
              fr: ["rage de dents depuis plusieurs jours", "abcès dentaire, gencive gonflée, déglutition normale"]),
        ]),
        Complaint(name: "digestive", presentations: [
            p(.immediate, "vomiting large volumes of blood", 0.1...3,
              en: ["vomiting large amounts of fresh blood", "big haematemesis, pale and faint"],
              fr: ["hématémèse abondante de sang rouge", "vomit beaucoup de sang, pâle"]),
            p(.medium, "black stools", 12...96,
              en: ["black tarry stools for 2 days", "melaena since yesterday, on aspirin"],
              fr: ["méléna depuis 2 jours", "selles noires goudronneuses sous aspirine"]),
            p(.delayed, "constipation or mild gastroenteritis", 24...168,
              en: ["constipated for 5 days", "diarrhoea and mild cramps, drinking ok"],
              fr: ["constipation depuis 5 jours", "gastro-entérite, boit bien"]),
        ]),
        Complaint(name: "pregnancy and genital", presentations: [
            p(.immediate, "suspected ruptured ectopic pregnancy", 0.2...6,
              en: ["positive pregnancy test, severe one-sided pelvic pain and fainted", "?ectopic, 7 weeks, pain and collapse"],
              fr: ["test de grossesse positif, douleur pelvienne brutale et malaise", "?GEU, 7 SA, douleur et malaise"]),
            p(.medium, "bleeding in early pregnancy", 1...48,
              en: ["light bleeding at 9 weeks pregnant, mild cramps", "PV bleeding in early pregnancy"],
              fr: ["saignements modérés à 9 SA avec crampes", "métrorragies en début de grossesse"]),
            p(.medium, "sudden testicular pain", 0.5...12,
              en: ["sudden severe testicular pain", "painful swollen testicle since this morning"],
              fr: ["douleur testiculaire brutale", "testicule douloureux et gonflé depuis ce matin"]),
        ]),
        Complaint(name: "circulation", presentations: [
            p(.immediate, "acute pulmonary oedema", 0.5...6,
              en: ["breathless lying flat, frothy pink sputum, crackles", "acute heart failure, can't lie down, crackles to the apices"],
              fr: ["orthopnée avec expectoration mousseuse rosée", "OAP, crépitants jusqu'aux sommets"]),
            p(.medium, "calf pain after surgery or immobility", 12...120,
              en: ["swollen painful calf after a long flight", "calf pain after knee surgery, ?DVT"],
              fr: ["mollet douloureux et gonflé après un long voyage", "douleur du mollet après chirurgie du genou, ?TVP"]),
            p(.medium, "faintness without loss of consciousness", 0.5...12,
              en: ["felt faint in the queue, no LOC", "lightheaded on standing, near faint"],
              fr: ["malaise sans PC dans la file d'attente", "lipothymie au lever, pas de perte de connaissance"]),
            p(.delayed, "brief palpitations, well now", 12...168,
              en: ["palpitations for a few seconds, feels well now", "heart fluttering at night, comfortable"],
              fr: ["palpitations de quelques secondes, va bien maintenant", "sensation de cœur qui bat vite la nuit, bien toléré"]),
        ]),
    ]
}
