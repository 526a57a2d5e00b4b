"""Words that look like identifiers in clinical text but are not (a generic deny-list).

Medication names (generic and brand), rating scales and instruments, therapy names,
clinical abbreviations, national programs and resources, nationalities, languages and
religions. All lower-case; the engine compares lower-cased tokens.
"""

from __future__ import annotations

MEDICATIONS = frozenset("""
abilify adderall alprazolam ambien amitriptyline amphetamine anafranil antabuse aripiprazole
atarax atenolol ativan atomoxetine austedo bupropion buprenorphine buspar buspirone caplyta
carbamazepine cariprazine celexa cetirizine chantix chlordiazepoxide chlorpromazine citalopram
clomipramine clonazepam clonidine clozapine clozaril concerta cymbalta depakote desvenlafaxine
desyrel dexedrine dexmethylphenidate dextroamphetamine diazepam disulfiram divalproex doxepin
duloxetine effexor elavil escitalopram eszopiclone fetzima fluoxetine fluphenazine fluvoxamine
focalin gabapentin geodon guanfacine haldol haloperidol hydroxyzine ibuprofen imipramine intuniv
invega insulin klonopin lamictal lamotrigine latuda levothyroxine lexapro librium lisdexamfetamine
lisinopril lithium lithobid lorazepam loxapine lurasidone luvox lybalvi melatonin metformin
methadone methylphenidate metoprolol mirtazapine modafinil motrin naloxone naltrexone narcan
nardil neurontin nicotine norco nortriptyline olanzapine omeprazole oxcarbazepine oxycodone
pamelor parnate paroxetine paxil perphenazine phenelzine prazosin pristiq propranolol prozac
quetiapine ramelteon rexulti risperdal risperidone ritalin seroquel sertraline silenor sublocade
suboxone subutex tegretol temazepam topamax topiramate tramadol trazodone trileptal trintellix
tylenol valium valproate venlafaxine viibryd vistaril vivitrol vortioxetine vraylar vyvanse
wellbutrin xanax zaleplon ziprasidone zoloft zolpidem zyprexa zyban strattera qelbree spravato
esketamine ketamine nuplazid ingrezza cogentin benztropine propanolol advil aleve zyrtec claritin
prednisone albuterol acetaminophen aspirin amoxicillin keppra levetiracetam hydrocodone fentanyl
heroin cocaine methamphetamine marijuana cannabis kratom xylazine percocet vicodin dilaudid
""".split())

SCALES_AND_THERAPIES = frozenset("""
apgar nihss meld child-pugh curb-65 chads2 cha2ds2-vasc has-bled timi qsofa sofa apache
braden morse glasgow rass cam-icu ciwa-ar cows-score phq phq-9 phq-a phq-2 gad gad-7 gad-2 pcl pcl-5 audit audit-c dast dast-10 cudit cudit-r c-ssrs
cssrs asrs vanderbilt conners ymrs madrs hamd ham-d ham-a bdi bdi-ii bai moca mmse ace aces
cage crafft edeq ede-q scared sdq epds ocir y-bocs ybocs cgi gaf whodas bprs panss ciwa cows
bam sbirt columbia beck safren gottman campbell cbt dbt emdr act ipt pct cpt pe tf-cbt ibct
mbct mi mbt cft efft eft ifs pcit abft sfbt cbt-i cbti nsdu rems dsm dsm-5 dsm-iv icd icd-10
icd-11 cpt hcpcs npi ssri snri maoi tca ssris snris adhd ptsd ocd mdd gad bpd asd sud aud oud
iop php pcp ed er icu npo bid tid qid qd qhs prn po im iv mg mcg ml hx dx tx rx sx fx si hi
avh ah vh mse wnl nad aox3 aox4 loc etoh thc uds bac ua roi hipaa ferpa iep fmla ada soap
birp dap girp pie mat dbt-a art
min mins max hr hrs wk wks mo mos yr yrs ok approx appt appts pts obj conf adls iadls los lai erp asam ede
vs etc sig disp refill refills supervisee supervisees telehealth telemedicine psychoeducation psychoeducational
posttraumatic neurodivergent neurotypical biopsychosocial ssn dob mrn dos npi ein tin intake discharge
vivo vitro situ ipv dv sa csa tbi cva copd htn dm ckd gerd uti std sti hiv hcv aids prns prn co ramadan lent advent
""".split())

RESOURCES = frozenset("""
aa na ca ga oa al-anon alateen smart nami samhsa medicaid medicare medi-cal chip tricare
va ssi ssdi snap wic tanf cps aps dcfs dss dhs fbi cia irs dmv usps ups fedex zoom teams
google facebook instagram tiktok snapchat twitter youtube whatsapp reddit discord twitch
spotify netflix amazon uber lyft doordash iphone android epic cerner simplepractice
""".split())

GROUPS = frozenset("""
american african asian european hispanic latino latina latinx latine caucasian white black
native indigenous mexican salvadoran guatemalan honduran cuban dominican puerto rican
colombian venezuelan peruvian brazilian chilean argentine argentinian haitian jamaican
vietnamese chinese japanese korean filipino filipina thai cambodian khmer lao laotian hmong
burmese karen indian pakistani bangladeshi nepali bhutanese afghan iranian iraqi syrian
lebanese palestinian israeli turkish arab arabic somali ethiopian eritrean sudanese kenyan
nigerian ghanaian congolese liberian ukrainian russian polish german irish italian greek
french spanish portuguese english scottish welsh british canadian australian samoan tongan
marshallese hawaiian alaskan navajo dine cherokee lakota ojibwe yupik inupiaq sioux apache
hopi tlingit haida pueblo crow cheyenne blackfeet oglala muslim islamic christian catholic
protestant baptist methodist lutheran pentecostal evangelical mormon lds jewish judaism
hindu hinduism buddhist buddhism sikh orthodox atheist agnostic quaker amish mennonite
spanish-speaking tagalog mandarin cantonese farsi dari pashto urdu hindi bengali punjabi
gujarati telugu tamil swahili amharic tigrinya oromo yoruba igbo hausa creole kreyol
asl deaf
""".split())

# Abbreviations of clinical language (labs, vitals, units, routes, frequencies, exams, services,
# units of a hospital, documents), lower-case: general medical usage, not from any corpus.
ABBREVIATIONS = frozenset("""
abg vbg cbc bmp cmp lfts lft alt ast alk phos ggt tbili dbili bili alb tp inr pt ptt aptt hgb hct plt wbc rbc mcv mch
mchc rdw anc alc esr crp procal bnp ntprobnp trop tsh ft4 t3 t4 a1c hba1c ldl hdl tg chol bun cr creat egfr gfr na cl
hco3 co2 ca mg phos lactate lac glu gluc ck cpk ldh lipase amylase ammonia nh3 pth psa cea ua ucx bcx ucg upt hcg
bp hr rr sbp dbp map spo2 sao2 pao2 paco2 fio2 peep tv vt ips ps cpap bipap hfnc nc nrb rm ra o2 etco2 gcs rass cam
temp wt ht bmi i/o io ins outs lpm bpm mmhg cmh2o meq mmol umol mosm mcg ng pg iu ml dl cc kg lb lbs cm mm
po pr sl sq subq sc im iv ivp ivpb ng ngt ogt peg pej picc cvc ij fem art line foley mdi neb nebs
qd bid tid qid qhs qam qpm qod q4h q6h q8h q12h prn stat ac pc hs ad lib npo
hpi pmh psh fh sh ros pe a/p ap cc hx dx ddx tx rx sx fx px bx hx s/p c/o r/o w/u f/u fu ekg ecg echo tte tee cxr kub
ct cta mri mra us pet eeg emg ncs lp egd ercp tips cabg pci ptca stemi nstemi acs mi chf hfref hfpef cad pad pvd dvt
pe afib aflutter svt vt vf pea rosc cpr acls bls dnr dni polst hcp poa copd osa cap hap vap uti pyelo aki ckd esrd hd
pd crrt cvvh dka hhs hld htn dm dm1 dm2 iddm niddm t1dm t2dm gerd pud gib ugib lgib sbo ibd ibs nash nafld hcc cirr
cva tia sah sdh ich tbi sci ms als cp ams ams loc sz ams ards sirs mods ssti cellulitis abx mrsa mssa vre cdiff c.diff
esbl hiv hcv hbv tb rsv flu covid sars uri lrti pna ca bca nsclc sclc aml all cll cml mds mm nhl hl
icu micu sicu ccu cvicu nicu picu pacu ed er or l&d ldrp snf ltac ltach irf alf rehab ltc pcu tele stepdown medsurg obs
pt ot slp rt rn np pa md do lpn cna msw sw cm case pharm pharmd ems ems ff
wnl nad ncat perrla perrl eomi rrr ctab cta nabs ntnd ble bue rle lle rue lue mae aox3 a&o a&ox3 jvd jvp cvat
dtr rom lom sob doe pnd cp n/v nv abd hr rrr m/r/g
bid tid amb ambul wc w/c casa gal bsc sbt sat rsbi nif rusb lusb llsb rlsb lsb pmi fsbs bgm cbg accu chem chemo xrt rad onc heme gi gu ob gyn ent cards pulm neuro nephro
renal endo id psych derm ortho uro ir ct-guided
mdd gad ptsd ocd bpad bpd sud aud oud cud adhd asd odd dmdd pdd pans pandas si hi ah vh avh mse
""".split())

# Short forms and brands a clinical note writes that no word list holds: drugs by their ward
# names, dressings and devices, services, eponymous signs and scales, anatomy by its initials.
CLINICAL_SHORT = frozenset("""
nitro levo levophed neo vaso vanc vanco zosyn unasyn cefepime ceftriaxone kayexalate lokelma duoneb duonebs xopenex
mepilex tegaderm xeroform aquacel allevyn telfa kerlix coban steri-strips dermabond foley picc hoyer posey purewick
borg kerley homans murphy mcburney babinski romberg kernig brudzinski rovsing trendelenburg valsalva glasgow
dispo ppx gtt gtts lytes surg gen resp msk heent ros fen scds scd sbar rrt mews ews bpa dsg dsgs trach peg
lima rima lad lcx rca svg om pda lvef rvsp tapse lvot mvr avr tavr tavi
pt/inr inh neb nebs
dexcom omnipod libre freestyle minimed medtronic tandem accu-chek accuchek onetouch glucometer inogen respironics
resmed dreamstation airsense zoll lifevest holter zio ziopatch alaris pyxis omnicell bair hugger tempus wound-vac
""".split())

# Bedside shorthand of nursing and progress notes, clipped words a ward writes ("afeb", "tachy",
# "desatted", "cont", "OSH"): general usage, compiled by hand from common medical knowledge.
# Like the clinical word list, it leaves out what the Census lists as a given name or surname
# ("Brady", "Le"): tests/core/deid checks that.
NURSING_SHORTHAND = frozenset("""
afeb afebrile tachy tachycardic tachypneic tachypnic bradycardic bradied desat desats desatted desatting cont
cont'd contd d/c'd dc'd dcd d/cd discont hypotn htn'sive hypoxic hypox diaphoretic lethargic somnolent osh oob
tol tol'd tolerating amb ambulating ivf prbc prbcs ffp cryo ssi fs fsbg bgs uo pvr bm bms tf tfs dht ngtd dtv
cath cathed i&o c&db bilat bibasilar bibasilarly serosang serosanguinous serosanguineous sanguinous purulent
crepitus ecchymosis ecchymotic rhonchi rhonchorous wheezy crackles coarse dim ptx htx cbi gtt's mivf mmf kvo
sl'd hep-lock heplock qshift q-shift assist sba cga mod maxassist rw fww abd'l reorient reoriented
reorientation repositioned repo'd turned medicated premedicated sedated intubated extubated reintubated
trached vented paged repaged callback troponin trop coags diurese diuresed diuresing upep spep vicryl monocryl
prolene
""".split())

# Abbreviations of legal citation (rules, codes, reporters) and the labels of forms: "Fed. R. Civ. P. 45",
# "42 U.S.C.", "Cal. Welf. & Inst. Code", "Wash. Rev. Code"; "Last, First, MI".
LEGAL_AND_FORMS = frozenset("""
civ crim evid proc app supp stat ann rev admin regs reg usc u.s.c cfr c.f.r fed.r frcp fre frap rcw ors orc ilcs
wis gen laws const amend cl subd subch ch pt para art sec ss welf inst fam penal prob cal tex ny ohio
esq l.ed f.supp f.2d f.3d f.4th s.ct p.2d p.3d n.e n.w s.e s.w so.2d
mi fname lname dob ssn sig
""".split())

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
            "mon", "tue", "tues", "wed", "weds", "thu", "thur", "thurs", "fri", "sat", "sun")

# the two-letter US state codes stay out: "ID", "MD", "PA" after a city are places
_STATE_CODES = frozenset("""al ak az ar ca co ct de fl ga hi id il in ia ks ky la me md ma mi mn ms mo mt ne nv nh nj nm
ny nc nd oh ok or pa ri sc sd tn tx ut vt va wa wv wi wy dc pr gu vi""".split())
NOT_IDENTIFIERS = MEDICATIONS | SCALES_AND_THERAPIES | RESOURCES | GROUPS | (ABBREVIATIONS - _STATE_CODES) \
    | (LEGAL_AND_FORMS - _STATE_CODES - {"cal", "tex", "ny", "ohio", "wis"}) | CLINICAL_SHORT | NURSING_SHORTHAND
