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
phq phq-9 phq-a phq-2 gad gad-7 gad-2 pcl pcl-5 audit audit-c dast dast-10 cudit cudit-r c-ssrs
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

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
            "mon", "tue", "tues", "wed", "weds", "thu", "thur", "thurs", "fri", "sat", "sun")

NOT_IDENTIFIERS = MEDICATIONS | SCALES_AND_THERAPIES | RESOURCES | GROUPS
