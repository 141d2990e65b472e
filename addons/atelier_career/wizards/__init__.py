from . import atelier_career_scenario_import
