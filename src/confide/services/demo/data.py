"""Invented demo data for Confide: a small group practice in Tacoma, WA.

Everything here is fictional. Phone numbers use the 555-01xx range, emails use
example.org / example.com, and street addresses are invented. Day offsets are
relative to "today" when the demo is loaded. Psychotherapy notes deliberately
contain no diagnoses, medications, session times or test results
(45 CFR 164.501).
"""

from __future__ import annotations

DEMO_PASSWORD = "confide-demo-2026"

PRACTICE = {
    "name": "Harbor Light Counseling",
    "jurisdiction": "US-WA",
    "timezone": "America/Los_Angeles",
    "phone": "253-555-0100",
    "address": "1420 Marrowstone Avenue, Suite 210, Tacoma, WA 98403",
    "email": "frontdesk@harborlight.example.org",
}

STAFF = [
    {
        "username": "okafor",
        "full_name": "Dr. Adaeze Okafor-Brennan",
        "email": "a.okafor@harborlight.example.org",
        "role": "supervisor",
        "licence": "psychologist",
        "licensed": True,
        "supervises": ["lindqvist"],
    },
    {
        "username": "marsh",
        "full_name": "Theo Marsh-Calloway",
        "email": "t.marsh@harborlight.example.org",
        "role": "clinician",
        "licence": "LMHC",
        "licensed": True,
        "supervises": [],
    },
    {
        "username": "lindqvist",
        "full_name": "Signe Lindqvist-Hale",
        "email": "s.lindqvist@harborlight.example.org",
        "role": "clinician",
        "licence": "pre-licensed (LMHCA)",
        "licensed": False,
        "supervises": [],
    },
    {
        "username": "pellham",
        "full_name": "Dana Pellham-Oyelaran",
        "email": "billing@harborlight.example.org",
        "role": "biller",
        "licence": "",
        "licensed": False,
        "supervises": [],
    },
    {
        "username": "fontaine",
        "full_name": "Rosalie Fontaine-Ibarra",
        "email": "r.fontaine@harborlight.example.org",
        "role": "front_desk",
        "licence": "",
        "licensed": False,
        "supervises": [],
    },
    {
        "username": "haddad",
        "full_name": "Corin Haddad-Whitlow",
        "email": "c.haddad@harborlight.example.org",
        "role": "practice_admin",
        "licence": "",
        "licensed": False,
        "supervises": [],
    },
]

CLIENTS = [
    # ------------------------------------------------------------------ c1
    {
        "key": "c1",
        "legal_name": "Elena Marisol Varga-Trent",
        "preferred_name": "Lena",
        "dob": "1992-06-18",
        "pronouns": "she/her",
        "email": "lena.varga-trent@example.com",
        "phone": "253-555-0111",
        "address": "3817 North Ferrell Lane, Tacoma, WA 98407",
        "username": "lvarga",
        "program": "outpatient",
        "insurance": {"payer": "Cascadia Health Plan", "member_id": "CHP-448120937", "group": "TAC-20418"},
        "care_team": [{"staff": "marsh", "relationship": "treating"}],
        "contacts": [
            {"name": "Gabor Varga-Trent", "relationship": "father", "phone": "253-555-0112", "email": "gabor.vt@example.com", "emergency": True},
        ],
        "guardian": None,
        "minor_consent": None,
        "diagnoses": [
            {"code": "F41.1", "description": "Generalized anxiety disorder", "since_days_ago": 35},
        ],
        "medications": [
            {"name": "sertraline", "dose": "50 mg daily", "prescriber": "PCP"},
        ],
        "plan": {
            "summary": "Weekly CBT for generalized anxiety: reduce worry and reassurance-seeking, restore sleep, and build tolerance of uncertainty at work.",
            "goals": [
                {"text": "Reduce GAD-7 score below 10", "progress": 2, "target_days_from_now": 60},
                {"text": "Fall asleep within 30 minutes on at least five nights a week", "progress": 2, "target_days_from_now": 45},
                {"text": "Send work emails without rereading them more than once", "progress": 1, "target_days_from_now": 90},
            ],
        },
        "appointments": [
            {"days_from_today": -35, "time": "10:00", "minutes": 60, "clinician": "marsh", "status": "attended"},
            {"days_from_today": -28, "time": "10:00", "minutes": 50, "clinician": "marsh", "status": "cancelled"},
            {"days_from_today": -21, "time": "10:00", "minutes": 50, "clinician": "marsh", "status": "attended"},
            {"days_from_today": -14, "time": "10:00", "minutes": 50, "clinician": "marsh", "status": "attended"},
            {"days_from_today": 7, "time": "10:00", "minutes": 50, "clinician": "marsh", "status": "scheduled"},
            {"days_from_today": 21, "time": "10:00", "minutes": 50, "clinician": "marsh", "status": "scheduled"},
        ],
        "progress_notes": [
            {"days_from_today": -35, "author": "marsh", "format": "SOAP", "text": (
                "S: Client reports persistent worry about job performance and her father's health, with difficulty falling asleep most nights over the past six months. "
                "O: Alert and cooperative, speech rapid, affect anxious; GAD-7 score 15 indicates moderate-to-severe anxiety. "
                "A: Presentation consistent with generalized anxiety disorder; no safety concerns identified at intake. "
                "P: Begin weekly CBT, introduce a worry log, and coordinate with her PCP regarding the current sertraline trial."
            )},
            {"days_from_today": -21, "author": "marsh", "format": "SOAP", "text": (
                "S: Client completed the worry log on five of seven days and noticed most worries cluster in the evening. "
                "O: Engaged and reflective, with less psychomotor restlessness than at intake. "
                "A: Beginning to distinguish productive from unproductive worry, though sleep onset is still delayed. "
                "P: Introduced scheduled worry time and stimulus control for sleep; review the log next session."
            )},
            {"days_from_today": -14, "author": "marsh", "format": "DAP", "text": (
                "D: Client practiced scheduled worry time daily and reported falling asleep within thirty minutes on four nights. "
                "GAD-7 score decreased to 11. "
                "A: Meaningful early response to cognitive restructuring, while catastrophic predictions about work remain strong. "
                "P: Continue weekly sessions and begin behavioral experiments around sending emails without rereading them."
            )},
        ],
        "psychotherapy_notes": [
            {"days_from_today": -21, "author": "marsh", "text": (
                "She apologized twice for taking up time when describing her father, which may echo a family role as the low-maintenance child. "
                "I noticed a pull to reassure her quickly and want to slow that down so the worry can be explored rather than soothed. "
                "Working hypothesis: reassurance-seeking maintains the cycle in the room just as it does at home."
            )},
        ],
        "assessments": [
            {"days_from_today": -35, "instrument": "GAD-7", "score": 15},
            {"days_from_today": -35, "instrument": "PHQ-9", "score": 8},
            {"days_from_today": -14, "instrument": "GAD-7", "score": 11},
        ],
        "risk": None,
        "contact_preferences": {"voicemail": "details", "text": "neutral", "email": "neutral", "postal": "home", "alternate_address": None},
    },
    # ------------------------------------------------------------------ c2
    {
        "key": "c2",
        "legal_name": "Desmond Albright Kerrigan",
        "preferred_name": "Des",
        "dob": "1980-02-03",
        "pronouns": "he/him",
        "email": "des.kerrigan@example.com",
        "phone": "253-555-0121",
        "address": "7705 South Alder Crest Drive, Tacoma, WA 98409",
        "username": None,
        "program": "outpatient",
        "insurance": {"payer": "Evergreen Mutual Health", "member_id": "EMH-70215566", "group": "PUGET-3391"},
        "care_team": [{"staff": "okafor", "relationship": "treating"}],
        "contacts": [
            {"name": "Maureen Kerrigan-Pike", "relationship": "sister", "phone": "253-555-0122", "email": "maureen.kp@example.org", "emergency": True},
            {"name": "Colm Kerrigan", "relationship": "brother", "phone": "253-555-0123", "email": "colm.kerrigan@example.org", "emergency": False},
        ],
        "guardian": None,
        "minor_consent": None,
        "diagnoses": [
            {"code": "F33.1", "description": "Major depressive disorder, recurrent, moderate", "since_days_ago": 28},
        ],
        "medications": [
            {"name": "bupropion XL", "dose": "300 mg every morning", "prescriber": "Psychiatric ARNP"},
        ],
        "plan": {
            "summary": "Behavioral activation and cognitive therapy for a recurrent depressive episode following job loss, with ongoing safety planning.",
            "goals": [
                {"text": "Complete at least four planned valued activities per week", "progress": 2, "target_days_from_now": 30},
                {"text": "Reduce PHQ-9 score below 10", "progress": 1, "target_days_from_now": 75},
                {"text": "Submit two job applications per week", "progress": 0, "target_days_from_now": 60},
            ],
        },
        "appointments": [
            {"days_from_today": -28, "time": "14:00", "minutes": 60, "clinician": "okafor", "status": "attended"},
            {"days_from_today": -21, "time": "14:00", "minutes": 50, "clinician": "okafor", "status": "attended"},
            {"days_from_today": -14, "time": "14:00", "minutes": 50, "clinician": "okafor", "status": "no_show"},
            {"days_from_today": -10, "time": "09:00", "minutes": 50, "clinician": "okafor", "status": "attended"},
            {"days_from_today": 4, "time": "14:00", "minutes": 50, "clinician": "okafor", "status": "scheduled"},
            {"days_from_today": 11, "time": "14:00", "minutes": 50, "clinician": "okafor", "status": "scheduled"},
        ],
        "progress_notes": [
            {"days_from_today": -28, "author": "okafor", "format": "SOAP", "text": (
                "S: Client describes three months of low mood, early-morning waking, and withdrawal from his cycling group following a layoff. "
                "O: Psychomotor slowing and flat affect; PHQ-9 score 17, and he endorsed passive wishes not to wake up without plan or intent. "
                "A: Recurrent major depressive episode of moderate severity with moderate acute risk; protective factors include his children and an engaged sister. "
                "P: Completed a collaborative safety plan, confirmed firearms remain stored off-site with his brother, and started behavioral activation with two scheduled activities."
            )},
            {"days_from_today": -21, "author": "okafor", "format": "SOAP", "text": (
                "S: Client went on one short ride and said it was less awful than he expected. "
                "O: Affect slightly brighter with improved eye contact; he denied any suicidal ideation this week. "
                "A: Early engagement with behavioral activation, with self-critical thinking about the layoff still prominent. "
                "P: Add activity-mood monitoring, identify one job-search task per day, and review the safety plan at each visit."
            )},
            {"days_from_today": -10, "author": "okafor", "format": "DAP", "text": (
                "D: Client missed last week's appointment and explained that he slept through his alarm after a poor night. "
                "He re-engaged readily and reported completing four of seven planned activities, with a PHQ-9 score of 13. "
                "A: Mood is improving but sleep disruption and hopelessness about employment persist; risk reassessed as low with no current ideation. "
                "P: Continue behavioral activation, begin thought records targeting the belief that he is a failure, and send text reminders per his stated preference."
            )},
        ],
        "psychotherapy_notes": [
            {"days_from_today": -21, "author": "okafor", "text": (
                "He described the layoff in a flat, almost reportorial voice and only became animated talking about his daughter's soccer games. "
                "I felt an urge to push him toward action and need to watch that my impatience does not echo his own harsh inner critic. "
                "Wondering whether his withdrawal partly protects others from seeing him as diminished."
            )},
        ],
        "assessments": [
            {"days_from_today": -28, "instrument": "PHQ-9", "score": 17},
            {"days_from_today": -28, "instrument": "GAD-7", "score": 9},
            {"days_from_today": -10, "instrument": "PHQ-9", "score": 13},
        ],
        "risk": {
            "days_from_today": -28,
            "level": "moderate",
            "summary": "Passive death wishes without plan, intent or preparatory behavior; recent job loss and social withdrawal. Firearms stored with his brother. Protective factors: children, sister, future orientation.",
            "safety_plan": "Warning signs: staying in bed past noon, skipping meals. Coping: walk the dog, ride the trainer for ten minutes. Contacts: sister Maureen; 988 Suicide & Crisis Lifeline; Harbor Light main line during business hours. Means safety: firearms remain with brother until reviewed in session.",
        },
        "contact_preferences": {"voicemail": "name_callback", "text": "neutral", "email": "none", "postal": "home", "alternate_address": None},
    },
    # ------------------------------------------------------------------ c3 (minor)
    {
        "key": "c3",
        "legal_name": "Juniper Rae Castellanos-Reid",
        "preferred_name": "June",
        "dob": "2011-04-09",
        "pronouns": "they/them",
        "email": "june.cr@example.com",
        "phone": "253-555-0131",
        "address": "2209 East Bellwether Court, Tacoma, WA 98404",
        "username": "jcastellanos",
        "program": "outpatient",
        "insurance": {"payer": "Sound Care Alliance", "member_id": "SCA-55190482-02", "group": "FAM-7780"},
        "care_team": [{"staff": "marsh", "relationship": "treating"}],
        "contacts": [
            {"name": "Alma Castellanos-Reid", "relationship": "mother", "phone": "253-555-0132", "email": "alma.cr@example.com", "emergency": True},
            {"name": "Peter Reid-Yamada", "relationship": "stepfather", "phone": "253-555-0133", "email": "peter.ry@example.com", "emergency": False},
        ],
        "guardian": {"name": "Alma Castellanos-Reid", "relationship": "mother", "email": "alma.cr@example.com", "phone": "253-555-0132", "username": "acastellanos"},
        "minor_consent": "self",
        "diagnoses": [
            {"code": "F32.1", "description": "Major depressive disorder, single episode, moderate", "since_days_ago": 30},
            {"code": "F40.10", "description": "Social phobia, unspecified", "since_days_ago": 30},
        ],
        "medications": [],
        "plan": {
            "summary": "Adolescent CBT with behavioral activation and graded exposure for low mood and social anxiety at school; family involvement with the client's agreement.",
            "goals": [
                {"text": "Eat lunch with peers at least three days a week", "progress": 1, "target_days_from_now": 60},
                {"text": "Return to drawing or art club at least twice a week", "progress": 2, "target_days_from_now": 30},
                {"text": "Keep a consistent bedtime on school nights", "progress": 1, "target_days_from_now": 45},
            ],
        },
        "appointments": [
            {"days_from_today": -30, "time": "16:00", "minutes": 60, "clinician": "marsh", "status": "attended"},
            {"days_from_today": -23, "time": "16:00", "minutes": 50, "clinician": "marsh", "status": "attended"},
            {"days_from_today": -16, "time": "16:00", "minutes": 50, "clinician": "marsh", "status": "cancelled"},
            {"days_from_today": -9, "time": "16:00", "minutes": 50, "clinician": "marsh", "status": "attended"},
            {"days_from_today": 5, "time": "16:00", "minutes": 50, "clinician": "marsh", "status": "scheduled"},
            {"days_from_today": 12, "time": "16:00", "minutes": 50, "clinician": "marsh", "status": "scheduled"},
        ],
        "progress_notes": [
            {"days_from_today": -30, "author": "marsh", "format": "SOAP", "text": (
                "S: Client was referred by the school counselor and reports sadness, loss of interest in art, and avoiding the cafeteria for fear of being judged. "
                "O: Soft-spoken but engaged, affect constricted; PHQ-9 score 14 and GAD-7 score 12. "
                "A: Moderate depressive episode with co-occurring social anxiety; client consented to their own outpatient treatment as permitted for minors thirteen and older in Washington. "
                "P: Weekly CBT; discussed what will and will not be shared with their mother and obtained the client's agreement to a brief family check-in."
            )},
            {"days_from_today": -23, "author": "marsh", "format": "DAP", "text": (
                "D: Client brought a sketchbook and described drawing again for the first time in weeks. "
                "They identified three lunchtime situations and rated each by anxiety level to build an exposure hierarchy. "
                "A: Rapport is building, and avoidance appears to be the main maintaining factor for both mood and anxiety. "
                "P: Practice sitting in the library at lunch twice this week and rate anxiety before and after."
            )},
            {"days_from_today": -9, "author": "marsh", "format": "SOAP", "text": (
                "S: Client ate lunch in the library three times and once joined a classmate at the art-club table. "
                "O: Smiled when describing the art-club table and spoke at normal volume; PHQ-9 score 10. "
                "A: Mood is improving with behavioral activation and graded exposure, and no safety concerns emerged today. "
                "P: Mother joined for the final ten minutes with the client's permission to discuss supporting sleep routines; continue the hierarchy next week."
            )},
        ],
        "psychotherapy_notes": [
            {"days_from_today": -23, "author": "marsh", "text": (
                "June watched my face closely when talking about their mother, as if checking whose side I was on. "
                "I felt protective and want to keep that from hardening into an alliance against the parent. "
                "Perhaps the fear of being watched at school and the worry about disappointing home share a root in feeling constantly evaluated."
            )},
        ],
        "assessments": [
            {"days_from_today": -30, "instrument": "PHQ-9", "score": 14},
            {"days_from_today": -30, "instrument": "GAD-7", "score": 12},
            {"days_from_today": -9, "instrument": "PHQ-9", "score": 10},
        ],
        "risk": {
            "days_from_today": -30,
            "level": "low",
            "summary": "Passive ideation reported once in eighth grade; currently denies ideation, intent or self-harm. No access to firearms at home per mother.",
            "safety_plan": "Warning signs: skipping art and staying in their room. Coping: drawing, music, texting a friend. Adults to tell: mother, school counselor. Crisis: 988 Suicide & Crisis Lifeline (call or text).",
        },
        "contact_preferences": {"voicemail": "none", "text": "neutral", "email": "neutral", "postal": "none", "alternate_address": None},
    },
    # ------------------------------------------------------------------ c4 (SUD / 42 CFR Part 2)
    {
        "key": "c4",
        "legal_name": "Russell Tobin Achterberg",
        "preferred_name": "Russ",
        "dob": "1988-09-27",
        "pronouns": "he/him",
        "email": "russ.achterberg@example.org",
        "phone": "253-555-0141",
        "address": "915 Pacific Lumber Way, Apt 4B, Tacoma, WA 98421",
        "username": None,
        "program": "sud",
        "insurance": {"payer": "Evergreen Mutual Health", "member_id": "EMH-70388104", "group": "PORT-1150"},
        "care_team": [{"staff": "okafor", "relationship": "treating"}],
        "contacts": [
            {"name": "Kayla Dunmore-Ash", "relationship": "partner", "phone": "253-555-0142", "email": "kayla.da@example.org", "emergency": True},
        ],
        "guardian": None,
        "minor_consent": None,
        "diagnoses": [
            {"code": "F11.20", "description": "Opioid dependence, uncomplicated", "since_days_ago": 35},
            {"code": "F17.210", "description": "Nicotine dependence, cigarettes, uncomplicated", "since_days_ago": 35},
        ],
        "medications": [
            {"name": "buprenorphine-naloxone", "dose": "8 mg/2 mg sublingual film daily", "prescriber": "Tideline Recovery Medicine (office-based opioid treatment)"},
            {"name": "naloxone nasal spray", "dose": "4 mg as needed for suspected overdose", "prescriber": "Tideline Recovery Medicine (office-based opioid treatment)"},
        ],
        "part2": {
            "consent_on_file": True,
            "disclosures_permitted_to": ["Tideline Recovery Medicine (prescriber)"],
            "not_permitted_to": ["employer", "partner", "courts without a Part 2 order"],
            "purpose": "Coordination of medication treatment and counseling",
            "consent_signed_days_from_today": -35,
            "consent_expires_days_from_today": 330,
            "redisclosure_notice": "42 CFR part 2 prohibits unauthorized use or disclosure of these records.",
        },
        "plan": {
            "summary": "Relapse-prevention counseling alongside office-based buprenorphine treatment; motivational interviewing, coping skills, and shame-focused work. Records protected under 42 CFR Part 2.",
            "goals": [
                {"text": "Maintain abstinence from non-prescribed opioids, confirmed by prescriber screens", "progress": 3, "target_days_from_now": 90},
                {"text": "Follow a written payday plan every pay period", "progress": 2, "target_days_from_now": 30},
                {"text": "Regain regular overnight visits with his son", "progress": 1, "target_days_from_now": 120},
            ],
        },
        "appointments": [
            {"days_from_today": -35, "time": "08:00", "minutes": 60, "clinician": "okafor", "status": "attended"},
            {"days_from_today": -28, "time": "15:00", "minutes": 50, "clinician": "okafor", "status": "attended"},
            {"days_from_today": -21, "time": "15:00", "minutes": 50, "clinician": "okafor", "status": "no_show"},
            {"days_from_today": -14, "time": "08:00", "minutes": 50, "clinician": "okafor", "status": "attended"},
            {"days_from_today": -7, "time": "08:00", "minutes": 50, "clinician": "okafor", "status": "attended"},
            {"days_from_today": 7, "time": "08:00", "minutes": 50, "clinician": "okafor", "status": "scheduled"},
            {"days_from_today": 14, "time": "08:00", "minutes": 50, "clinician": "okafor", "status": "scheduled"},
        ],
        "progress_notes": [
            {"days_from_today": -35, "author": "okafor", "format": "SOAP", "text": (
                "S: Client presents for counseling alongside his office-based opioid treatment, reporting eight months on buprenorphine after several years of fentanyl use and a single lapse four months ago. "
                "O: Alert and well-groomed with no signs of intoxication or withdrawal; AUDIT score 6 and PHQ-9 score 9. "
                "A: Opioid use disorder on maintenance therapy, with cravings triggered by payday and contact with former using friends. "
                "P: Signed a Part 2 consent limited to his prescribing clinic, reviewed naloxone access, and scheduled weekly relapse-prevention sessions."
            )},
            {"days_from_today": -28, "author": "okafor", "format": "DAP", "text": (
                "D: Client mapped his high-risk situations and rated payday Friday as the strongest trigger. "
                "Using motivational interviewing, he articulated that staying well matters most because he wants overnight visits with his son again. "
                "A: Ambivalence is low regarding opioids but higher about cutting ties with a cousin who still uses. "
                "P: Build a payday plan that includes direct deposit to savings and a scheduled call with his recovery peer."
            )},
            {"days_from_today": -14, "author": "okafor", "format": "SOAP", "text": (
                "S: Client missed last week after picking up an extra shift and reported strong cravings the following weekend, which he rode out by attending a meeting. "
                "O: A urine drug screen from his prescriber, shared under his signed consent, was positive for buprenorphine only. "
                "A: Effective use of coping skills under stress, with his work schedule emerging as a barrier to attendance. "
                "P: Moved sessions to early morning and practiced urge surfing in session."
            )},
            {"days_from_today": -7, "author": "okafor", "format": "DAP", "text": (
                "D: Client reported no use and followed his payday plan, including a call to his peer before cashing his check. "
                "He discussed guilt about past thefts from family, which he identified as a shame trigger for cravings. "
                "A: Engagement is stable, and shame appears to be a key relapse pathway worth targeting directly. "
                "P: Introduce self-compassion exercises and revisit the relapse-prevention plan in two weeks."
            )},
        ],
        "psychotherapy_notes": [
            {"days_from_today": -28, "author": "okafor", "text": (
                "When he spoke about his son his voice caught, and he quickly changed the subject to work. "
                "I noticed my own relief when he joked, which may mean I am colluding with his avoidance of grief. "
                "Worth exploring whether shame, more than craving, is what brings him closest to the edge."
            )},
        ],
        "assessments": [
            {"days_from_today": -35, "instrument": "AUDIT", "score": 6},
            {"days_from_today": -35, "instrument": "PHQ-9", "score": 9},
            {"days_from_today": -7, "instrument": "PHQ-9", "score": 6},
        ],
        "risk": {
            "days_from_today": -35,
            "level": "moderate",
            "summary": "Elevated overdose risk given prior fentanyl use, one non-fatal overdose two years ago, and a lapse four months ago. Denies suicidal ideation.",
            "safety_plan": "Naloxone kept at home and in his truck; partner trained in its use. Never use alone; call recovery peer or the Washington Recovery Help Line when cravings spike. Contact prescriber the same day after any lapse.",
        },
        "contact_preferences": {"voicemail": "name_callback", "text": "neutral", "email": "none", "postal": "none", "alternate_address": None},
    },
    # ------------------------------------------------------------------ c5 (self-pay, pre-licensed clinician)
    {
        "key": "c5",
        "legal_name": "Harriet Solveig Brandtmeyer",
        "preferred_name": "Harriet",
        "dob": "1959-11-02",
        "pronouns": "she/her",
        "email": "harriet.brandtmeyer@example.com",
        "phone": "253-555-0151",
        "address": "5120 Tideflat View Road, Ruston, WA 98407",
        "username": None,
        "program": "outpatient",
        "insurance": None,
        "care_team": [{"staff": "lindqvist", "relationship": "treating"}],
        "contacts": [
            {"name": "Ingrid Brandtmeyer-Cole", "relationship": "daughter", "phone": "360-555-0152", "email": "ingrid.bc@example.org", "emergency": True},
        ],
        "guardian": None,
        "minor_consent": None,
        "diagnoses": [
            {"code": "F43.21", "description": "Adjustment disorder with depressed mood", "since_days_ago": 33},
            {"code": "Z63.4", "description": "Disappearance and death of family member", "since_days_ago": 33},
        ],
        "medications": [
            {"name": "trazodone", "dose": "50 mg at bedtime as needed", "prescriber": "PCP"},
        ],
        "plan": {
            "summary": "Grief-focused therapy using the dual-process model after the death of her husband; self-pay at a sliding-scale rate. Provided by a pre-licensed clinician under weekly supervision.",
            "goals": [
                {"text": "Re-enter and sort her husband's workshop at her own pace", "progress": 2, "target_days_from_now": 45},
                {"text": "Maintain two restoring social activities per week", "progress": 3, "target_days_from_now": 30},
                {"text": "Have a written plan for the first anniversary of his death", "progress": 0, "target_days_from_now": 60},
            ],
        },
        "appointments": [
            {"days_from_today": -33, "time": "11:00", "minutes": 60, "clinician": "lindqvist", "status": "attended"},
            {"days_from_today": -26, "time": "11:00", "minutes": 50, "clinician": "lindqvist", "status": "cancelled"},
            {"days_from_today": -19, "time": "11:00", "minutes": 50, "clinician": "lindqvist", "status": "attended"},
            {"days_from_today": -5, "time": "11:00", "minutes": 50, "clinician": "lindqvist", "status": "attended"},
            {"days_from_today": 9, "time": "11:00", "minutes": 50, "clinician": "lindqvist", "status": "scheduled"},
            {"days_from_today": 23, "time": "11:00", "minutes": 50, "clinician": "lindqvist", "status": "scheduled"},
        ],
        "progress_notes": [
            {"days_from_today": -33, "author": "lindqvist", "format": "SOAP", "text": (
                "S: Client reports tearfulness, poor appetite, and difficulty entering her late husband's workshop since his death from pancreatic cancer five months ago. "
                "O: Neatly dressed, tearful when naming him, thought process organized; PHQ-9 score 12. "
                "A: Grief reaction with depressed mood beyond what she expected, without complicating trauma or suicidal ideation. "
                "P: Weekly grief-focused sessions with psychoeducation on the dual-process model; case reviewed with the clinical supervisor."
            )},
            {"days_from_today": -19, "author": "lindqvist", "format": "DAP", "text": (
                "D: Client described Sunday evenings as the hardest time because they used to plan the week together. "
                "She agreed to invite her neighbor for a standing Sunday supper as a restoration-oriented activity. "
                "A: Oscillation between loss-focused and restoration-focused coping is beginning to emerge. "
                "P: Assigned a letter addressed to her husband, to be read aloud next session; note routed for supervisor co-signature."
            )},
            {"days_from_today": -5, "author": "lindqvist", "format": "SOAP", "text": (
                "S: Client read her letter aloud and said she had spent an hour in the workshop sorting his fly-fishing gear. "
                "O: Cried openly but regained composure and laughed while recounting a fishing trip; PHQ-9 score 8. "
                "A: Grief is becoming more integrated and her mood is lifting. "
                "P: Move to biweekly sessions, plan for the upcoming anniversary, and review progress in supervision."
            )},
        ],
        "psychotherapy_notes": [
            {"days_from_today": -19, "author": "lindqvist", "text": (
                "Her stoicism softened when she described his hands, and I felt my own grief for my grandmother stir, which I will bring to supervision. "
                "She seems to need permission to be angry at him for not seeing a doctor sooner."
            )},
        ],
        "assessments": [
            {"days_from_today": -33, "instrument": "PHQ-9", "score": 12},
            {"days_from_today": -5, "instrument": "PHQ-9", "score": 8},
        ],
        "risk": None,
        "contact_preferences": {"voicemail": "details", "text": "none", "email": "neutral", "postal": "home", "alternate_address": None},
    },
    # ------------------------------------------------------------------ c6 (couples stress)
    {
        "key": "c6",
        "legal_name": "Adrian Whitford-Soto",
        "preferred_name": "Adrian",
        "dob": "1985-12-14",
        "pronouns": "he/him",
        "email": "adrian.whitford-soto@example.com",
        "phone": "253-555-0161",
        "address": "4431 Fircrest Hollow Drive, University Place, WA 98466",
        "username": "awhitford",
        "program": "outpatient",
        "insurance": {"payer": "Cascadia Health Plan", "member_id": "CHP-448553012", "group": "UPL-88214"},
        "care_team": [{"staff": "marsh", "relationship": "treating"}],
        "contacts": [
            {"name": "Camille Whitford-Soto", "relationship": "spouse", "phone": "253-555-0162", "email": "camille.ws@example.com", "emergency": True},
        ],
        "guardian": None,
        "minor_consent": None,
        "diagnoses": [
            {"code": "F43.23", "description": "Adjustment disorder with mixed anxiety and depressed mood", "since_days_ago": 26},
            {"code": "Z63.0", "description": "Problems in relationship with spouse or partner", "since_days_ago": 26},
        ],
        "medications": [],
        "plan": {
            "summary": "Individual therapy with periodic joint sessions to reduce conflict escalation, improve communication, and manage stress after a change in his wife's work schedule.",
            "goals": [
                {"text": "Use a time-out or STOP skill before conflicts escalate", "progress": 2, "target_days_from_now": 30},
                {"text": "Hold a weekly budget conversation without shouting", "progress": 1, "target_days_from_now": 45},
                {"text": "Reduce GAD-7 score below 5", "progress": 2, "target_days_from_now": 60},
            ],
        },
        "appointments": [
            {"days_from_today": -26, "time": "18:00", "minutes": 60, "clinician": "marsh", "status": "attended"},
            {"days_from_today": -19, "time": "18:00", "minutes": 50, "clinician": "marsh", "status": "attended"},
            {"days_from_today": -12, "time": "18:00", "minutes": 50, "clinician": "marsh", "status": "attended"},
            {"days_from_today": -5, "time": "18:00", "minutes": 50, "clinician": "marsh", "status": "cancelled"},
            {"days_from_today": 2, "time": "18:00", "minutes": 50, "clinician": "marsh", "status": "scheduled"},
            {"days_from_today": 16, "time": "18:00", "minutes": 50, "clinician": "marsh", "status": "scheduled"},
        ],
        "progress_notes": [
            {"days_from_today": -26, "author": "marsh", "format": "SOAP", "text": (
                "S: Client reports frequent arguments with his wife about money and parenting since she returned to night-shift nursing, along with irritability and poor concentration at work. "
                "O: Cooperative and mildly tense, with pressured speech when describing conflicts; PHQ-9 score 11 and GAD-7 score 10. "
                "A: Adjustment disorder with mixed anxiety and depressed mood in the context of partner relational distress. "
                "P: Individual sessions with planned joint sessions; assigned tracking of conflict triggers and a daily ten-minute check-in with his wife."
            )},
            {"days_from_today": -19, "author": "marsh", "format": "DAP", "text": (
                "D: Spouse attended as a collateral participant with the client's consent, and both described a pursue-withdraw pattern around bedtime. "
                "Clinician introduced the speaker-listener technique and the couple practiced one round on household chores. "
                "A: Both partners are motivated, and the client tends to shut down when he feels criticized. "
                "P: Practice speaker-listener twice weekly and schedule one shared activity without the children."
            )},
            {"days_from_today": -12, "author": "marsh", "format": "SOAP", "text": (
                "S: Client reported two calmer disagreements and one blowup over a credit card bill that they repaired the next morning. "
                "O: More relaxed posture, and he was able to name his own contribution to the blowup; GAD-7 score 8. "
                "A: Emotion regulation during conflict is improving, while financial stress remains a live trigger. "
                "P: Taught the DBT STOP skill for escalating moments and planned a budget conversation for the next joint session."
            )},
        ],
        "psychotherapy_notes": [
            {"days_from_today": -19, "author": "marsh", "text": (
                "In the joint session I caught myself aligning with his wife's frustration and had to work to rebalance. "
                "He goes quiet in a way that reads as stonewalling but looks, up close, more like flooding. "
                "Curious whether his father's temper shaped his fear of his own anger."
            )},
        ],
        "assessments": [
            {"days_from_today": -26, "instrument": "PHQ-9", "score": 11},
            {"days_from_today": -26, "instrument": "GAD-7", "score": 10},
            {"days_from_today": -12, "instrument": "GAD-7", "score": 8},
        ],
        "risk": None,
        "contact_preferences": {"voicemail": "details", "text": "neutral", "email": "details", "postal": "home", "alternate_address": None},
    },
    # ------------------------------------------------------------------ c7 (PTSD)
    {
        "key": "c7",
        "legal_name": "Noor Elisabet Halvorsen",
        "preferred_name": "Noor",
        "dob": "1997-03-22",
        "pronouns": "she/her",
        "email": "noor.halvorsen@example.org",
        "phone": "360-555-0171",
        "address": "1186 Capitol Bluff Street SE, Olympia, WA 98501",
        "username": None,
        "program": "outpatient",
        "insurance": {"payer": "Evergreen Mutual Health", "member_id": "EMH-70461297", "group": "OLY-5020"},
        "care_team": [{"staff": "okafor", "relationship": "treating"}],
        "contacts": [
            {"name": "Tessa Marchetti-Lowe", "relationship": "friend", "phone": "360-555-0172", "email": "tessa.ml@example.org", "emergency": True},
        ],
        "guardian": None,
        "minor_consent": None,
        "diagnoses": [
            {"code": "F43.12", "description": "Post-traumatic stress disorder, chronic", "since_days_ago": 45},
        ],
        "medications": [
            {"name": "prazosin", "dose": "2 mg at bedtime", "prescriber": "Psychiatric ARNP"},
        ],
        "plan": {
            "summary": "Phase-oriented trauma treatment: stabilization and grounding, EMDR preparation, then EMDR processing of target memories related to intimate-partner violence.",
            "goals": [
                {"text": "Use grounding skills to drive at night without panic", "progress": 3, "target_days_from_now": 30},
                {"text": "Reduce PCL-5 score below 33", "progress": 1, "target_days_from_now": 120},
                {"text": "Reduce nightmares to one or fewer per week", "progress": 1, "target_days_from_now": 90},
            ],
        },
        "appointments": [
            {"days_from_today": -45, "time": "13:00", "minutes": 60, "clinician": "okafor", "status": "attended"},
            {"days_from_today": -38, "time": "13:00", "minutes": 50, "clinician": "okafor", "status": "cancelled"},
            {"days_from_today": -31, "time": "13:00", "minutes": 50, "clinician": "okafor", "status": "attended"},
            {"days_from_today": -24, "time": "13:00", "minutes": 50, "clinician": "okafor", "status": "no_show"},
            {"days_from_today": -17, "time": "13:00", "minutes": 50, "clinician": "okafor", "status": "attended"},
            {"days_from_today": 4, "time": "11:00", "minutes": 90, "clinician": "okafor", "status": "scheduled"},
            {"days_from_today": 18, "time": "13:00", "minutes": 90, "clinician": "okafor", "status": "scheduled"},
        ],
        "progress_notes": [
            {"days_from_today": -45, "author": "okafor", "format": "SOAP", "text": (
                "S: Client reports nightmares, hypervigilance in parking lots, and avoidance of driving at night since an assault by a former partner two years ago. "
                "O: Sat facing the door and startled at a hallway noise but was otherwise articulate; PCL-5 score 52. "
                "A: Chronic posttraumatic stress disorder with significant sleep disruption; she denies current contact with the former partner. "
                "P: Phase-oriented treatment beginning with stabilization and grounding skills, and all mail to go to her post office box at her request."
            )},
            {"days_from_today": -31, "author": "okafor", "format": "DAP", "text": (
                "D: Client practiced the 5-4-3-2-1 grounding exercise and built a calm-place image around a childhood beach on the Olympic Peninsula. "
                "Resource installation was well tolerated with brief sets of bilateral stimulation. "
                "A: Affect tolerance is adequate to continue EMDR preparation, although nightmares are unchanged. "
                "P: Daily container exercise, continue prazosin as prescribed, and map target memories next session."
            )},
            {"days_from_today": -17, "author": "okafor", "format": "SOAP", "text": (
                "S: Client drove to a friend's home after dark for the first time in a year, using grounding skills in the car. "
                "O: Calmer presentation with steady eye contact throughout; PCL-5 score 44. "
                "A: Stabilization goals are largely met and readiness for trauma processing is emerging. "
                "P: Finalize the target sequence and begin EMDR desensitization with the earliest memory in extended sessions."
            )},
        ],
        "psychotherapy_notes": [
            {"days_from_today": -31, "author": "okafor", "text": (
                "She laughed every time she described something frightening, and I found myself laughing along before I caught it. "
                "The laughter seems to keep both of us at a safe distance from the fear. "
                "I want to name this gently once the alliance is steadier."
            )},
            {"days_from_today": -17, "author": "okafor", "text": (
                "I felt a surge of anger toward the former partner, stronger than usual for me, and it is worth noticing rather than acting on. "
                "She seems to be testing whether I can stay steady as the story gets darker."
            )},
        ],
        "assessments": [
            {"days_from_today": -45, "instrument": "PCL-5", "score": 52},
            {"days_from_today": -45, "instrument": "PHQ-9", "score": 11},
            {"days_from_today": -17, "instrument": "PCL-5", "score": 44},
        ],
        "risk": {
            "days_from_today": -45,
            "level": "low",
            "summary": "No suicidal ideation. Safety concern is external: former partner's whereabouts unknown; protection order expired last year. Address confidentiality requested.",
            "safety_plan": "Do not leave voicemail or send texts. All postal mail to her PO box. Grounding skills for flashbacks; friend Tessa as first call; WA domestic violence hotline and 988 for crisis. Front desk not to confirm appointments to callers.",
        },
        "contact_preferences": {"voicemail": "none", "text": "none", "email": "neutral", "postal": "alternate", "alternate_address": "PO Box 4471, Olympia, WA 98507"},
    },
]
