/// Word lists the name recogniser needs: common English and French given names (a gazetteer, so "Nathalie
/// Lambert is…" is found without a title), capitalised words that are never names in triage notes, and the
/// clinical eponyms (Crohn, Parkinson…) that must never be replaced.
enum NameLexicon {
    /// Given names, upper-cased for lookup.
    static let givenNames: Set<String> = Set([
        "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth",
        "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Charles", "Karen",
        "Daniel", "Nancy", "Matthew", "Lisa", "Anthony", "Betty", "Mark", "Margaret", "Steven", "Emily", "Paul",
        "Olivia", "Andrew", "Chloe", "Joshua", "Grace", "Kevin", "Hannah", "Brian", "Megan", "Oliver", "Amelia",
        "Harry", "Isla", "George", "Jack", "Noah", "Sophie", "Emma", "Lucy", "Peter", "Helen", "Anne", "Ruth",
        "Marie", "Jean", "Pierre", "Nathalie", "Michel", "Isabelle", "Philippe", "Sylvie", "Alain", "Catherine",
        "Nicolas", "Françoise", "Christophe", "Valérie", "Stéphane", "Sandrine", "Laurent", "Céline", "Julien",
        "Aurélie", "Thierry", "Émilie", "Olivier", "Camille", "Sébastien", "Léa", "François", "Chloé", "Hélène",
        "Mathieu", "Manon", "Jérôme", "Inès", "Benoît", "Élodie", "Antoine", "Agnès", "Yannick", "Gaëlle", "Loïc",
        "Jacques", "Monique", "Louis", "Louise", "Hugo", "Lucas", "Jules", "Claire", "Sophie", "Martine",
    ].map { $0.uppercased() })

    /// Capitalised words that start sentences or fields in triage notes; a name never includes them.
    static let notNames: Set<String> = Set([
        "Chief", "Complaint", "Known", "History", "Vitals", "Obs", "Pain", "Started", "Symptoms", "Onset", "Patient",
        "Patiente", "Walk", "Walk-in", "At", "Address", "Phone", "Email", "Mobile", "Call", "Born", "Date", "DOB",
        "MRN", "Hospital", "Record", "NHS", "Results", "Contact", "Lives", "Home", "Seen", "Referred", "Next", "My",
        "I", "I'm", "The", "This", "It", "Otherwise", "Background", "PMH", "Observations", "Rates", "French", "Best",
        "Constantes", "Début", "Évolue", "Les", "Installation", "Antécédents", "ATCD", "Dans", "Suivi", "Pas", "Sans",
        "EVA", "Douleur", "EN", "Il", "Elle", "Tél", "Joignable", "Portable", "Rappeler", "Mail", "Courriel",
        "Envoyer", "Né", "Née", "DDN", "Domicile", "Habite", "Adresse", "NIR", "Numéro", "IPP", "Dossier", "Vu",
        "Adressé", "Adressée", "Personne", "Paramètres", "À", "Se", "Homme", "Femme", "Garçon", "Fille", "Motif",
        "Ma", "Mon", "J'ai", "Je", "Merci", "Thanks", "Please", "Worried", "Inquiet", "Triage", "Note", "Nom",
        "Prénom", "He", "She", "His", "Her", "They", "Is", "Was", "Has", "And", "With", "For", "Of", "On", "In",
        "To", "A", "An", "No", "Not", "Tel", "Age", "Ans", "Et", "De", "Du", "Des", "La", "Le", "Un", "Une",
        "Au", "Aux", "Par", "Pour", "Avec", "Depuis", "Est", "Sur", "Mr", "Mrs", "Ms", "Dr", "Mme", "Mlle", "Pr",
        "Prof", "Docteur", "Monsieur", "Madame", "Mademoiselle", "Today", "Earlier", "Practice", "Médecin",
        "Traitant", "Ce", "Matin", "Tel.", "SpO2", "HR", "BP", "RR", "Temp", "TA", "FC", "FR", "PA", "Sat",
        "Emergency", "Urgences", "GP", "ED", "ICU", "Hi", "Hello", "Bonjour", "Thank", "Dear",
    ].map { $0.uppercased() })

    /// Eponymous diseases and other capitalised clinical terms: never personal data.
    static let clinicalEponyms: Set<String> = Set([
        "Crohn", "Crohn's", "Parkinson", "Parkinson's", "Alzheimer", "Alzheimer's", "Hodgkin", "Graves", "Graves'",
        "Basedow", "Down", "Hashimoto", "Hashimoto's", "Raynaud", "Raynaud's", "Addison", "Cushing", "Bell's",
        "Guillain", "Barré", "Kawasaki", "Ventoline", "Doliprane", "Glasgow",
    ].map { $0.uppercased() })

    /// Lower-case surname particles allowed inside a name (`Le Goff`, `Da Silva`, `Ben Salah`).
    static let particles: Set<String> = ["LE", "LA", "DA", "DE", "DI", "DU", "BEN", "VAN", "VON", "MAC", "EL"]
}
