"""Pure domain of the intake service (« module d'accueil » / bureau d'accueil).

Owns identity and personal data of the person (« dossier de la personne »), the
eligibility decision (« public obligé / volontaire / dispensé / hors champ ») with
the rule version applied, dispenses with evidence, consents, the « bilan social »,
the French level test and address changes. No I/O here: storage, Kafka and HTTP
live in the service's adapters; this package only decides and evolves.
"""
