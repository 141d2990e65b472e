from . import text, ats, json_resume, cv_rules, interview_engine
