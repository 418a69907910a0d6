from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.TextChoices):
    AUVERGNE_RHONE_ALPES = "auvergne-rhone-alpes", "Auvergne-Rhône-Alpes"
    BOURGOGNE_FRANCHE_COMTE = "bourgogne-franche-comte", "Bourgogne-Franche-Comté"
    BRETAGNE = "bretagne", "Bretagne"
    CENTRE_VAL_DE_LOIRE = "centre-val-de-loire", "Centre-Val de Loire"
    CORSE = "corse", "Corse"
    GRAND_EST = "grand-est", "Grand Est"
    HAUTS_DE_FRANCE = "hauts-de-france", "Hauts-de-France"
    ILE_DE_FRANCE = "ile-de-france", "Île-de-France"
    NORMANDIE = "normandie", "Normandie"
    NOUVELLE_AQUITAINE = "nouvelle-aquitaine", "Nouvelle-Aquitaine"
    OCCITANIE = "occitanie", "Occitanie"
    PAYS_DE_LA_LOIRE = "pays-de-la-loire", "Pays de la Loire"
    PROVENCE_ALPES_COTE_D_AZUR = "provence-alpes-cote-d-azur", "Provence-Alpes-Côte d'Azur"
    OUTRE_MER = "outre-mer", _("Outre-mer")
