# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Words people use at the desk and the words the workshop writes.

Each key (lower case, without accents) brings in the alternatives on its
right: the search looks for the word OR any of them, as one term of the
query. They are French words and short phrases; PostgreSQL stems them like
the query. Keep the list about meaning, not about one document: it must help
every article that uses the workshop's word.
"""

from .query import unaccent

_GROUPS = [
    # what the driver feels
    ("broute", "brouter", "broutement", "à-coups", "hoquete", "hoquette"),
    ("cale", "calage", "etouffe"),
    ("tousse", "ratés", "rate"),
    ("tremble", "vibre", "vibration", "secoue"),
    ("demarre", "lancement"),
    ("puissance", "performances", "reprise", "mode degrade"),
    ("degrade", "mode degrade", "limp"),
    ("surchauffe", "chauffe", "temperature elevee"),
    ("consomme", "consommation", "surconsommation"),
    ("siffle", "sifflement"),
    ("claque", "claquement", "cliquetis"),
    ("odeur", "sent"),
    ("fuite", "fuit", "suintement"),
    ("haut", "eleve", "superieur"),
    ("bas", "faible", "inferieur"),
    ("voiture", "vehicule", "auto"),
    # the lamps
    ("voyant", "temoin", "mil", "lampe"),
    # parts, the customer's word and the technician's
    ("pot", "echappement", "catalyseur"),
    ("catalyseur", "catalytique", "cata"),
    ("fap", "filtre a particules"),
    ("egr", "recirculation des gaz"),
    ("adblue", "scr", "uree"),
    ("clim", "climatisation"),
    ("bobine", "allumage"),
    ("sonde", "capteur"),
    ("lambda", "sonde a oxygene", "o2"),
    ("debitmetre", "maf"),
    ("injecteur", "injection"),
    ("turbo", "turbocompresseur", "suralimentation"),
    ("batterie", "accumulateur", "accu", "pack"),
    ("hybride", "hev", "phev"),
    ("electrique", "ve", "bev"),
    ("hydrogene", "h2", "pile a combustible"),
    ("gpl", "bicarburation"),
    ("gnv", "gaz naturel", "bicarburation"),
    ("essence", "carburant"),
    ("gazole", "diesel", "gasoil"),
    ("gasoil", "gazole", "diesel"),
    ("radar", "adas"),
    ("camera", "adas"),
    ("calculateur", "ecu"),
    ("can", "multiplexage", "bus"),
    ("valise", "outil de diagnostic", "obd"),
    ("defaut", "panne"),
    ("panne", "defaut", "defaillance"),
    ("reservoir", "bouchon", "evap"),
    ("bouchon", "reservoir", "evap"),
    ("isolement", "isolation"),
    ("ht", "haute tension"),
]

SYNONYMS = {}
for group in _GROUPS:
    key, *alternatives = group
    SYNONYMS.setdefault(unaccent(key), [])
    for alternative in alternatives:
        if alternative not in SYNONYMS[unaccent(key)]:
            SYNONYMS[unaccent(key)].append(alternative)


def alternatives(word):
    """The alternatives of ``word`` (any case, with or without accents)."""
    return SYNONYMS.get(unaccent(word), [])
