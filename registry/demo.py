"""Deterministic generator of realistic CTDL documents.

Used by ``registry serve --demo`` (:func:`demo_documents`), by the benchmarks
(:func:`generate` with thousands to 100,000 documents) and by the tests.

Every document has the shape of Credential Engine's publishing output::

    {"@context": "https://credreg.net/ctdl/schema/context/json",
     "@id": "https://credentialengineregistry.org/graph/ce-...",
     "@graph": [ {main resource node}, ... ]}

Organizations come first in the list; every other document only references
(by IRI) organizations, competencies, assessments, learning opportunities and
credentials that appear *earlier* in the list, so publishing in list order
never leaves a dangling link. Competency frameworks use the CTDL-ASN context
and carry their competencies in the same ``@graph`` (framework node first).

Names, places and descriptions are built from hand-written word lists (no
external faker): about fifty fields of study and work, each with real SOC
(2018), CIP (2020) and NAICS (2017) codes and titles, real US cities with their
ZIP codes, coordinates and area codes (telephone numbers use the fictional
555-01xx range). Organization names are invented.

Every resource carries the properties Credential Engine's minimum data policy
*requires* of its class (``ontology/policy/required_recommended_by_class.tsv``
as corrected in :mod:`registry.shapes.policy`), plus most recommended ones.
"""

from __future__ import annotations

import gc
import random
import re
from typing import Any

__all__ = [
    "CTDL_CONTEXT",
    "CTDLASN_CONTEXT",
    "RESOURCE_BASE",
    "GRAPH_BASE",
    "ORGANIZATION_TYPES",
    "CREDENTIAL_TYPES",
    "ctid",
    "resource_iri",
    "graph_iri",
    "generate",
    "demo_documents",
    "organizations",
    "main_node",
]

CTDL_CONTEXT = "https://credreg.net/ctdl/schema/context/json"
CTDLASN_CONTEXT = "https://credreg.net/ctdlasn/schema/context/json"
RESOURCE_BASE = "https://credentialengineregistry.org/resources/"
GRAPH_BASE = "https://credentialengineregistry.org/graph/"
LANG = "en-US"

DEMO_SIZE = 240
DEMO_SEED = 2026

ORGANIZATION_TYPES = ("ceterms:CredentialOrganization", "ceterms:QACredentialOrganization")

# One "deck" of resource types, dealt in a shuffled order again and again, so
# every type appears in every run of 48 resources. Building blocks come first
# in each deck so that the credentials after them have something to point to.
_BLOCK_DECK = (
    # (rank, type, copies): lower ranks are published first within a deck
    (0, "ceasn:CompetencyFramework", 2),
    (1, "ceterms:AssessmentProfile", 4),
    (1, "ceterms:Course", 6),
    (2, "ceterms:LearningOpportunityProfile", 3),
    (2, "ceterms:LearningProgram", 5),
)
_CREDENTIAL_DECK = (
    ("ceterms:BachelorDegree", 3),
    ("ceterms:AssociateDegree", 3),
    ("ceterms:MasterDegree", 2),
    ("ceterms:DoctoralDegree", 1),
    ("ceterms:Certificate", 4),
    ("ceterms:Certification", 3),
    ("ceterms:License", 2),
    ("ceterms:Badge", 1),
    ("ceterms:DigitalBadge", 1),
    ("ceterms:OpenBadge", 1),
    ("ceterms:Diploma", 1),
    ("ceterms:ApprenticeshipCertificate", 2),
    ("ceterms:MicroCredential", 2),
    ("ceterms:CertificateOfCompletion", 1),
    ("ceterms:JourneymanCertificate", 1),
)
CREDENTIAL_TYPES = tuple(t for t, _ in _CREDENTIAL_DECK)

# Organization kinds, dealt like the resource types (12 per deck: about one
# organization per twelve resources means one deck per ~150 documents).
_ORG_FIRST_DECK = (
    "college", "accreditor", "university", "certbody", "regulator", "training",
    "apprentice", "college", "regulator", "university", "certbody", "college",
)  # fmt: skip

# --------------------------------------------------------------------------------------
# Concept schemes (CTDL vocabularies): framework IRI, framework name, CURIE prefix, labels
# --------------------------------------------------------------------------------------

_SCHEMES: dict[str, tuple[str, str, dict[str, str]]] = {
    "credentialStat": ("https://credreg.net/ctdl/terms/CredentialStatus", "Credential Status", {
        "Active": "Active",
    }),
    "lifeCycle": ("https://credreg.net/ctdl/terms/LifeCycleStatus", "Life Cycle Status", {
        "Active": "Active",
    }),
    "audLevel": ("https://credreg.net/ctdl/terms/AudienceLevel", "Audience Level", {
        "AssociatesDegreeLevel": "Associates Degree Level",
        "BachelorsDegreeLevel": "Bachelors Degree Level",
        "MastersDegreeLevel": "Masters Degree Level",
        "DoctoralDegreeLevel": "Doctoral Degree Level",
        "PostSecondaryLevel": "Post-Secondary Level",
        "ProfessionalLevel": "Professional Level",
        "BeginnerLevel": "Beginner Level",
        "IntermediateLevel": "Intermediate Level",
        "AdvancedLevel": "Advanced Level",
        "UndergraduateLevel": "Undergraduate Level",
        "GraduateLevel": "Graduate Level",
        "LowerDivisionLevel": "Lower Division Level",
        "UpperDivisionLevel": "Upper Division Level",
    }),
    "orgType": ("https://credreg.net/ctdl/terms/OrganizationType", "Organization Type", {
        "AccreditationBody": "Accreditation Body",
        "AssessmentBody": "Assessment Body",
        "BusinessAssociation": "Business or Industry Association",
        "CertificationBody": "Certification Body",
        "Collaborative": "Collaborative",
        "FourYear": "Four-Year College",
        "Government": "Government Agency",
        "LaborUnion": "Labor Union",
        "Postsecondary": "Postsecondary Educational Institution",
        "PrimarilyOnline": "Primarily Online",
        "ProfessionalAssociation": "Professional Association",
        "QualityAssurance": "Quality Assurance Body",
        "Regulator": "Regulator",
        "Technical": "Career and Technical School",
        "TrainingProvider": "Education and Training Provider",
        "TwoYear": "Two-Year College",
        "Vendor": "Vendor",
    }),
    "agentSector": ("https://credreg.net/ctdl/terms/AgentSector", "Agent Sector", {
        "PrivateForProfit": "Private For-Profit",
        "PrivateNonProfit": "Private Not-For-Profit",
        "Public": "Public",
    }),
    "serviceType": ("https://credreg.net/ctdl/terms/AgentServiceType", "Agent Service Type", {
        "AccreditService": "Accredit Service",
        "ApproveService": "Approve Service",
        "OfferService": "Offer Service",
        "RecognizeService": "Recognize Service",
        "RegulateService": "Regulate Service",
        "RenewService": "Renew Service",
        "RevokeService": "Revoke Service",
    }),
    "deliveryType": ("https://credreg.net/ctdl/terms/Delivery", "Delivery Type", {
        "BlendedDelivery": "Blended Delivery",
        "InPerson": "In-Person Only",
        "OnlineOnly": "Online Only",
    }),
    "learnMethod": ("https://credreg.net/ctdl/terms/LearningMethod", "Learning Method", {
        "Applied": "Applied Instruction",
        "Apprenticeship": "Apprenticeship",
        "ClinicalRotation": "Clinical Rotation",
        "CohortBased": "Cohort-Based",
        "Internship": "Internship",
        "Laboratory": "Laboratory",
        "Lecture": "Lecture",
        "SelfPaced": "Self Paced",
        "Seminar": "Seminar",
        "Simulation": "Simulation",
        "WorkBased": "Work Based",
    }),
    "assessMethod": ("https://credreg.net/ctdl/terms/AssessmentMethod", "Assessment Method", {
        "Artifact": "Artifact",
        "Exam": "Exam",
        "Performance": "Performance",
        "PortfolioEvaluation": "Portfolio Evaluation",
    }),
    "costType": ("https://credreg.net/ctdl/terms/CostType", "Cost Type", {
        "Application": "Application",
        "Equipment": "Equipment",
        "LearningResource": "Learning Resource",
        "ProgramSpecificFee": "Program Specific Fee",
        "RenewalFee": "Maintenance Fee",
        "StandaloneAssessment": "Standalone/Extra Assessment",
        "TechnologyFee": "Technology Fee",
        "Tuition": "Tuition",
    }),
    "creditUnit": ("https://credreg.net/ctdl/terms/CreditUnit", "Credit Unit", {
        "ClockHour": "Clock Hour",
        "ContinuingEducationUnit": "Continuing Education Unit",
        "DegreeCredit": "Degree Credit",
        "SemesterHour": "Semester Hour",
    }),
    "financialAid": ("https://credreg.net/ctdl/terms/FinancialAssistance", "Financial Assistance", {
        "FederalSubsidizedLoan": "Federal Subsidized Loan",
        "FederalWorkStudy": "Federal Work Study",
        "InstitutionalScholarship": "Institutional Scholarship",
        "PellGrant": "Pell Grant",
        "Post911GIBill": "Post 9-11 GI Bill",
        "StateLocalGrant": "State or Local Grant",
        "WIOA": "Workforce Innovation and Opportunity Act (WIOA)",
    }),
}  # fmt: skip

_SOC_FRAMEWORK = ("https://www.bls.gov/soc/", "Standard Occupational Classification")
_CIP_FRAMEWORK = ("https://nces.ed.gov/ipeds/cipcode/Default.aspx?y=56", "Classification of Instructional Programs")
_NAICS_FRAMEWORK = ("https://www.census.gov/naics/", "North American Industry Classification System")
_CC_BY = "https://creativecommons.org/licenses/by/4.0/"
_US_GEONAMES = "http://geonames.org/6252001/"

# --------------------------------------------------------------------------------------
# Places: real US cities (state, city, ZIP, latitude, longitude, area code, capital?)
# --------------------------------------------------------------------------------------

_STATES = {
    "AL": "Alabama", "AZ": "Arizona", "CA": "California", "CO": "Colorado", "FL": "Florida",
    "GA": "Georgia", "IA": "Iowa", "IL": "Illinois", "IN": "Indiana", "KS": "Kansas",
    "KY": "Kentucky", "LA": "Louisiana", "MA": "Massachusetts", "ME": "Maine", "MI": "Michigan",
    "MN": "Minnesota", "MO": "Missouri", "NC": "North Carolina", "NE": "Nebraska", "NM": "New Mexico",
    "NY": "New York", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania",
    "SC": "South Carolina", "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VA": "Virginia",
    "WA": "Washington", "WI": "Wisconsin",
}  # fmt: skip

_CITIES = (
    ("OH", "Columbus", "43215", 39.9612, -82.9988, "614", True),
    ("OH", "Dayton", "45402", 39.7589, -84.1916, "937", False),
    ("OH", "Toledo", "43604", 41.6528, -83.5379, "419", False),
    ("OH", "Akron", "44308", 41.0814, -81.5190, "330", False),
    ("OH", "Cincinnati", "45202", 39.1031, -84.5120, "513", False),
    ("IN", "Indianapolis", "46204", 39.7684, -86.1581, "317", True),
    ("IN", "Fort Wayne", "46802", 41.0793, -85.1394, "260", False),
    ("IN", "South Bend", "46601", 41.6764, -86.2520, "574", False),
    ("IN", "Evansville", "47708", 37.9716, -87.5711, "812", False),
    ("IL", "Springfield", "62701", 39.7817, -89.6501, "217", True),
    ("IL", "Peoria", "61602", 40.6936, -89.5890, "309", False),
    ("IL", "Rockford", "61101", 42.2711, -89.0940, "815", False),
    ("IL", "Champaign", "61820", 40.1164, -88.2434, "217", False),
    ("IL", "Belleville", "62220", 38.5201, -89.9840, "618", False),
    ("MI", "Lansing", "48933", 42.7325, -84.5555, "517", True),
    ("MI", "Grand Rapids", "49503", 42.9634, -85.6681, "616", False),
    ("MI", "Kalamazoo", "49007", 42.2917, -85.5872, "269", False),
    ("MI", "Flint", "48502", 43.0125, -83.6875, "810", False),
    ("MI", "Traverse City", "49684", 44.7631, -85.6206, "231", False),
    ("TX", "Austin", "78701", 30.2672, -97.7431, "512", True),
    ("TX", "San Antonio", "78205", 29.4241, -98.4936, "210", False),
    ("TX", "Lubbock", "79401", 33.5779, -101.8552, "806", False),
    ("TX", "El Paso", "79901", 31.7619, -106.4850, "915", False),
    ("TX", "Waco", "76701", 31.5493, -97.1467, "254", False),
    ("TX", "Corpus Christi", "78401", 27.8006, -97.3964, "361", False),
    ("CA", "Sacramento", "95814", 38.5816, -121.4944, "916", True),
    ("CA", "Fresno", "93721", 36.7378, -119.7871, "559", False),
    ("CA", "Bakersfield", "93301", 35.3733, -119.0187, "661", False),
    ("CA", "Riverside", "92501", 33.9806, -117.3755, "951", False),
    ("CA", "San Diego", "92101", 32.7157, -117.1611, "619", False),
    ("NY", "Albany", "12207", 42.6526, -73.7562, "518", True),
    ("NY", "Buffalo", "14202", 42.8864, -78.8784, "716", False),
    ("NY", "Rochester", "14604", 43.1566, -77.6088, "585", False),
    ("NY", "Syracuse", "13202", 43.0481, -76.1474, "315", False),
    ("PA", "Harrisburg", "17101", 40.2732, -76.8867, "717", True),
    ("PA", "Pittsburgh", "15222", 40.4406, -79.9959, "412", False),
    ("PA", "Erie", "16501", 42.1292, -80.0851, "814", False),
    ("PA", "Allentown", "18101", 40.6023, -75.4714, "610", False),
    ("GA", "Atlanta", "30303", 33.7490, -84.3880, "404", True),
    ("GA", "Savannah", "31401", 32.0809, -81.0912, "912", False),
    ("GA", "Macon", "31201", 32.8407, -83.6324, "478", False),
    ("GA", "Augusta", "30901", 33.4735, -82.0105, "706", False),
    ("NC", "Raleigh", "27601", 35.7796, -78.6382, "919", True),
    ("NC", "Charlotte", "28202", 35.2271, -80.8431, "704", False),
    ("NC", "Greensboro", "27401", 36.0726, -79.7920, "336", False),
    ("NC", "Asheville", "28801", 35.5951, -82.5515, "828", False),
    ("FL", "Tallahassee", "32301", 30.4383, -84.2807, "850", True),
    ("FL", "Tampa", "33602", 27.9506, -82.4572, "813", False),
    ("FL", "Orlando", "32801", 28.5383, -81.3792, "407", False),
    ("FL", "Jacksonville", "32202", 30.3322, -81.6557, "904", False),
    ("WA", "Olympia", "98501", 47.0379, -122.9007, "360", True),
    ("WA", "Spokane", "99201", 47.6588, -117.4260, "509", False),
    ("WA", "Tacoma", "98402", 47.2529, -122.4443, "253", False),
    ("WA", "Yakima", "98901", 46.6021, -120.5059, "509", False),
    ("CO", "Denver", "80202", 39.7392, -104.9903, "303", True),
    ("CO", "Colorado Springs", "80903", 38.8339, -104.8214, "719", False),
    ("CO", "Pueblo", "81003", 38.2544, -104.6091, "719", False),
    ("CO", "Grand Junction", "81501", 39.0639, -108.5506, "970", False),
    ("AZ", "Phoenix", "85004", 33.4484, -112.0740, "602", True),
    ("AZ", "Tucson", "85701", 32.2226, -110.9747, "520", False),
    ("AZ", "Flagstaff", "86001", 35.1983, -111.6513, "928", False),
    ("KS", "Topeka", "66603", 39.0473, -95.6752, "785", True),
    ("KS", "Wichita", "67202", 37.6872, -97.3301, "316", False),
    ("KS", "Salina", "67401", 38.8403, -97.6114, "785", False),
    ("KY", "Frankfort", "40601", 38.2009, -84.8733, "502", True),
    ("KY", "Louisville", "40202", 38.2527, -85.7585, "502", False),
    ("KY", "Lexington", "40507", 38.0406, -84.5037, "859", False),
    ("KY", "Bowling Green", "42101", 36.9685, -86.4808, "270", False),
    ("TN", "Nashville", "37203", 36.1627, -86.7816, "615", True),
    ("TN", "Knoxville", "37902", 35.9606, -83.9207, "865", False),
    ("TN", "Chattanooga", "37402", 35.0456, -85.3097, "423", False),
    ("TN", "Memphis", "38103", 35.1495, -90.0490, "901", False),
    ("WI", "Madison", "53703", 43.0731, -89.4012, "608", True),
    ("WI", "Milwaukee", "53202", 43.0389, -87.9065, "414", False),
    ("WI", "Green Bay", "54301", 44.5133, -88.0133, "920", False),
    ("WI", "Eau Claire", "54701", 44.8113, -91.4985, "715", False),
    ("MN", "St. Paul", "55102", 44.9537, -93.0900, "651", True),
    ("MN", "Minneapolis", "55401", 44.9778, -93.2650, "612", False),
    ("MN", "Duluth", "55802", 46.7867, -92.1005, "218", False),
    ("MN", "St. Cloud", "56301", 45.5579, -94.1632, "320", False),
    ("MO", "Jefferson City", "65101", 38.5767, -92.1735, "573", True),
    ("MO", "Kansas City", "64106", 39.0997, -94.5786, "816", False),
    ("MO", "St. Louis", "63101", 38.6270, -90.1994, "314", False),
    ("MO", "Springfield", "65806", 37.2090, -93.2923, "417", False),
    ("VA", "Richmond", "23219", 37.5407, -77.4360, "804", True),
    ("VA", "Roanoke", "24011", 37.2710, -79.9414, "540", False),
    ("VA", "Norfolk", "23510", 36.8508, -76.2859, "757", False),
    ("OR", "Salem", "97301", 44.9429, -123.0351, "503", True),
    ("OR", "Portland", "97204", 45.5152, -122.6784, "503", False),
    ("OR", "Eugene", "97401", 44.0521, -123.0868, "541", False),
    ("OR", "Bend", "97701", 44.0582, -121.3153, "541", False),
    ("MA", "Boston", "02108", 42.3601, -71.0589, "617", True),
    ("MA", "Worcester", "01608", 42.2626, -71.8023, "508", False),
    ("MA", "Springfield", "01103", 42.1015, -72.5898, "413", False),
    ("MA", "Lowell", "01852", 42.6334, -71.3162, "978", False),
    ("IA", "Des Moines", "50309", 41.5868, -93.6250, "515", True),
    ("IA", "Cedar Rapids", "52401", 41.9779, -91.6656, "319", False),
    ("IA", "Davenport", "52801", 41.5236, -90.5776, "563", False),
    ("OK", "Oklahoma City", "73102", 35.4676, -97.5164, "405", True),
    ("OK", "Tulsa", "74103", 36.1540, -95.9928, "918", False),
    ("AL", "Montgomery", "36104", 32.3792, -86.3077, "334", True),
    ("AL", "Birmingham", "35203", 33.5186, -86.8104, "205", False),
    ("AL", "Huntsville", "35801", 34.7304, -86.5861, "256", False),
    ("AL", "Mobile", "36602", 30.6954, -88.0399, "251", False),
    ("LA", "Baton Rouge", "70801", 30.4515, -91.1871, "225", True),
    ("LA", "Shreveport", "71101", 32.5252, -93.7502, "318", False),
    ("NE", "Lincoln", "68508", 40.8136, -96.7026, "402", True),
    ("NE", "Omaha", "68102", 41.2565, -95.9345, "402", False),
    ("UT", "Salt Lake City", "84101", 40.7608, -111.8910, "801", True),
    ("UT", "Provo", "84601", 40.2338, -111.6585, "801", False),
    ("NM", "Santa Fe", "87501", 35.6870, -105.9378, "505", True),
    ("NM", "Albuquerque", "87102", 35.0844, -106.6504, "505", False),
    ("SC", "Columbia", "29201", 34.0007, -81.0348, "803", True),
    ("SC", "Greenville", "29601", 34.8526, -82.3940, "864", False),
    ("ME", "Augusta", "04330", 44.3106, -69.7795, "207", True),
    ("ME", "Portland", "04101", 43.6591, -70.2568, "207", False),
    ("ME", "Bangor", "04401", 44.8016, -68.7712, "207", False),
)  # fmt: skip

_STREETS = (
    "Main Street", "College Avenue", "Campus Drive", "University Boulevard", "Industrial Parkway",
    "Technology Drive", "Commerce Drive", "Washington Avenue", "Lincoln Highway", "Market Street",
    "Center Street", "Oak Street", "Maple Avenue", "Park Road", "Lakeview Drive", "River Road",
    "Jefferson Street", "Madison Avenue", "Franklin Street", "Elm Street", "Highland Avenue",
    "Airport Road", "Enterprise Way", "Innovation Drive", "Career Center Road", "Hospital Drive",
    "Fairground Road", "State Street", "Grand Avenue", "Broadway",
)  # fmt: skip

_REGIONS = (
    "Lakeshore", "Prairie Ridge", "Cedar Valley", "Blue Hills", "Red Rock", "Silver Lake", "Maple Grove",
    "Stone River", "Ironwood", "Clearwater", "Pine Ridge", "Oak Hollow", "Eagle Valley", "Bear Creek",
    "Willow Bend", "Granite Peak", "Sunset Plains", "Twin Rivers", "Harbor Point", "Copper Canyon",
    "Fox River", "Elk Ridge", "Heron Bay", "Sandhill", "Timberline", "North Shore", "Tri-County",
    "Mid-Valley", "High Plains", "Riverbend", "Crescent Valley", "Highland", "Brookside", "Westfield",
    "Eastgate", "Northgate", "Summit", "Kingsbridge", "Fairview", "Glenwood", "Hollister", "Ashford",
    "Bellmont", "Cumberland Gap", "Big Sky", "Great Basin", "Piedmont", "Heartland", "Three Rivers",
    "Coastal Plains", "Mountain View", "Painted Desert", "Golden Prairie", "Shenandoah Ridge",
    "Ozark Hills", "Chesapeake", "Sierra Vista", "Pine Barrens", "Blackhawk", "Wabash Valley",
    "Saginaw Bay", "Cascade", "Bluegrass", "Lone Pine", "Mesa Verde", "Sugar Creek", "Kettle Moraine",
)  # fmt: skip

_SURNAMES = (
    "Whitfield", "Ashford", "Carrington", "Harwood", "Kendall", "Lockwood", "Marlowe", "Pembrook",
    "Quinlan", "Thornton", "Wexford", "Brennan", "Callaway", "Davenport", "Ellison", "Fairbanks",
    "Garrison", "Hollis", "Kingsley", "Langford", "Merriweather", "Prescott", "Radcliffe",
    "Sutherland", "Trowbridge", "Whitmore", "Abernathy", "Beaumont", "Crandall", "Dunmore",
)  # fmt: skip

_ACCREDITING_REGIONS = (
    "North Central", "Southern", "Mid-Atlantic", "Northwest", "Great Lakes", "Western",
    "New England", "Midwest", "Gulf Coast", "Rocky Mountain", "Southwest", "Plains States",
)  # fmt: skip

_BRAND_A = ("Skill", "Career", "Tech", "Path", "Next", "Launch", "Bright", "True", "Work", "Up", "Pro", "Core")
_BRAND_B = ("Bridge", "Forge", "Path", "Works", "Point", "Wise", "Way", "Lab", "Spring", "Stone")

_SMALL_WORDS = frozenset("a an and as at by for in of on or the to with from".split())
_SLUG_RE = re.compile(r"[^a-z0-9]+")
_DOMAIN_DROP = frozenset(
    "university college community technical institute academy of the and for national american board "
    "council association society school center centre training program committee inc joint "
    "apprenticeship trust on in learning".split()
)

# --------------------------------------------------------------------------------------
# Fields of study and work
# --------------------------------------------------------------------------------------
# tags: B bachelor, A associate (and diploma), M master, D doctoral, P apprenticeship,
# J journeyman. Certifications (N) and licenses (L) follow from certs / lics.


def _field(key: str, **kw: Any) -> dict[str, Any]:
    f: dict[str, Any] = {"key": key, "tags": "", "w": 1, "certs": (), "lics": (), "board": None,
                         "trade": None, "programs": ()}  # fmt: skip
    f.update(kw)
    subj, prog = f["subj"], f["prog"]
    f.setdefault("bach", f"Bachelor of Science in {subj}")
    f.setdefault("assoc", f"Associate of Applied Science in {prog}")
    f.setdefault("mast", f"Master of Science in {subj}")
    f.setdefault("doct", f"Doctor of Philosophy in {subj}")
    tags = set(f["tags"])
    if f["certs"]:
        tags.add("N")
    if f["lics"]:
        tags.add("L")
    f["tagset"] = frozenset(tags)
    f["occ_title"] = _title(f["occ"])
    f["occs_title"] = _title(f["occs"])
    f["lname"] = _lower_phrase(f["name"])
    f["skills_lc"] = tuple(_lower_phrase(s) for s in f["skills"])
    return f


_PROPER_PHRASES = frozenset(("National Electrical Code",))
_PROPER_WORDS = frozenset(("Python", "Git", "Java", "Windows", "Linux"))


def _keeps_case(word: str) -> bool:
    """Acronyms (HVAC, ICD-10-CM, PLCs), camel case (JavaScript) and proper names keep their case."""
    return word in _PROPER_WORDS or any(sum(c.isupper() for c in part) > 1 for part in word.split("-"))


def _lower_phrase(text: str) -> str:
    """Lower-case a title for use inside a sentence (``Wound Care`` -> ``wound care``)."""
    if text in _PROPER_PHRASES:
        return text
    return " ".join(w if _keeps_case(w) else w.lower() for w in text.split())


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeio8" or word in ("11", "18") else "a"


def _title(text: str) -> str:
    words = text.split()
    return " ".join(
        w if (i and w in _SMALL_WORDS) or any(c.isupper() for c in w) else w[:1].upper() + w[1:]
        for i, w in enumerate(words)
    )


FIELDS: tuple[dict[str, Any], ...] = (
    _field(
        "nursing", name="Registered Nursing", subj="Nursing", prog="Nursing", tags="BAMD", w=5,
        occ="registered nurse", occs="registered nurses",
        soc=(("29-1141", "Registered Nurses"),),
        cip=("51.3801", "Registered Nursing/Registered Nurse"),
        naics=("622110", "General Medical and Surgical Hospitals"),
        where="hospitals, clinics, and long-term care facilities",
        practice="supervised clinical rotations at partner hospitals",
        skills=("Patient Assessment", "Medication Administration", "Care Planning", "Infection Control",
                "Evidence-Based Practice", "Patient Education"),
        comps=(("Patient Assessment", "Perform a comprehensive head-to-toe assessment and document findings accurately."),
               ("Medication Safety", "Administer medications safely using the rights of medication administration."),
               ("Care Planning", "Develop individualized nursing care plans based on assessment data and patient goals."),
               ("Infection Prevention", "Apply standard and transmission-based precautions to prevent healthcare-associated infections."),
               ("Clinical Judgment", "Use clinical reasoning to recognize changes in patient condition and respond appropriately."),
               ("Interprofessional Communication", "Communicate patient information using structured handoff tools such as SBAR.")),
        courses=("NURS", ("Fundamentals of Nursing", "Pharmacology for Nursing Practice", "Medical-Surgical Nursing I",
                          "Maternal and Newborn Nursing", "Mental Health Nursing", "Community and Public Health Nursing")),
        certs=(("Certified Medical-Surgical Registered Nurse", "CMSRN"), ("Critical Care Registered Nurse", "CCRN")),
        lics=("Registered Nurse (RN) License",), board="Board of Nursing",
        programs=("Pre-Licensure BSN Program", "RN to BSN Completion Program"),
        bach="Bachelor of Science in Nursing", assoc="Associate Degree in Nursing",
        mast="Master of Science in Nursing", doct="Doctor of Nursing Practice",
    ),
    _field(
        "lpn", name="Practical Nursing", subj="Practical Nursing", prog="Practical Nursing", tags="A", w=3,
        occ="licensed practical nurse", occs="licensed practical nurses",
        soc=(("29-2061", "Licensed Practical and Licensed Vocational Nurses"),),
        cip=("51.3901", "Licensed Practical/Vocational Nurse Training"),
        naics=("623110", "Nursing Care Facilities (Skilled Nursing Facilities)"),
        where="nursing homes, physicians' offices, and home health agencies",
        practice="clinical experiences in long-term care and acute care settings",
        skills=("Vital Signs Monitoring", "Wound Care", "Medication Administration", "Patient Safety",
                "Clinical Documentation", "Geriatric Care"),
        comps=(("Basic Nursing Care", "Provide bedside care, including hygiene, mobility, and nutrition support, under the direction of a registered nurse."),
               ("Vital Signs", "Measure and record vital signs and report abnormal findings promptly."),
               ("Wound Care", "Perform sterile and clean dressing changes according to facility protocol."),
               ("Medication Administration", "Administer oral, topical, and injectable medications within the practical nurse scope of practice."),
               ("Documentation", "Document care accurately in the electronic health record."),
               ("Geriatric Care", "Adapt care to the physical and cognitive needs of older adults.")),
        courses=("PN", ("Foundations of Practical Nursing", "Body Structure and Function", "Pharmacology for Practical Nurses",
                        "Adult Health Nursing", "Geriatric Nursing", "Transition to Practical Nursing Practice")),
        lics=("Licensed Practical Nurse (LPN) License",), board="Board of Nursing",
        programs=("Practical Nursing Program", "Evening and Weekend Practical Nursing Program"),
    ),
    _field(
        "cna", name="Nursing Assistant", subj="Nursing Assistant", prog="Nurse Aide", w=3,
        occ="nursing assistant", occs="nursing assistants",
        soc=(("31-1131", "Nursing Assistants"),),
        cip=("51.3902", "Nursing Assistant/Aide and Patient Care Assistant/Aide"),
        naics=("623110", "Nursing Care Facilities (Skilled Nursing Facilities)"),
        where="nursing homes, hospitals, and assisted living facilities",
        practice="supervised clinical hours in a long-term care facility",
        skills=("Personal Care", "Resident Rights", "Infection Control", "Safe Patient Handling", "Vital Signs Monitoring"),
        comps=(("Personal Care", "Assist residents with bathing, grooming, dressing, and toileting while preserving dignity."),
               ("Resident Rights", "Protect resident privacy and rights in accordance with state and federal regulations."),
               ("Safe Patient Handling", "Transfer and reposition patients using proper body mechanics and assistive devices."),
               ("Vital Signs", "Measure temperature, pulse, respirations, and blood pressure accurately."),
               ("Infection Control", "Perform hand hygiene and use personal protective equipment correctly."),
               ("Observation and Reporting", "Observe and report changes in a resident's condition to the licensed nurse.")),
        courses=("CNA", ("Introduction to Nurse Aide Practice", "Basic Nursing Skills Lab", "Nurse Aide Clinical Practicum")),
        lics=("Nurse Aide Registry Certification",), board="Department of Health",
        programs=("State-Approved Nurse Aide Training Program", "Certified Nursing Assistant Training"),
    ),
    _field(
        "medassist", name="Medical Assisting", subj="Medical Assisting", prog="Medical Assisting", tags="AP", w=3,
        occ="medical assistant", occs="medical assistants",
        soc=(("31-9092", "Medical Assistants"),),
        cip=("51.0801", "Medical/Clinical Assistant"),
        naics=("621111", "Offices of Physicians (except Mental Health Specialists)"),
        where="physicians' offices, outpatient clinics, and urgent care centers",
        practice="an externship in a local medical office",
        skills=("Clinical Procedures", "Phlebotomy", "EKG Testing", "Medical Office Administration",
                "Electronic Health Records", "Patient Intake"),
        comps=(("Patient Intake", "Obtain patient histories and vital signs and prepare patients for examination."),
               ("Clinical Procedures", "Assist the provider with routine examinations and minor office procedures."),
               ("Specimen Collection", "Perform venipuncture and capillary puncture following safety standards."),
               ("Electrocardiography", "Perform a 12-lead EKG and recognize common artifacts."),
               ("Scheduling and Billing", "Schedule appointments and process insurance claims using practice management software."),
               ("Confidentiality", "Maintain patient confidentiality in compliance with HIPAA.")),
        courses=("MA", ("Medical Terminology", "Clinical Procedures for Medical Assistants", "Medical Office Administration",
                        "Pharmacology for Allied Health", "Medical Assisting Externship")),
        certs=(("Certified Medical Assistant", "CMA"), ("Registered Medical Assistant", "RMA"),
               ("Certified Clinical Medical Assistant", "CCMA")),
        programs=("Medical Assistant Program", "Clinical Medical Assistant Training"),
        trade="Medical Assistant",
    ),
    _field(
        "pharmtech", name="Pharmacy Technician", subj="Pharmacy Technology", prog="Pharmacy Technician", tags="P", w=3,
        occ="pharmacy technician", occs="pharmacy technicians",
        soc=(("29-2052", "Pharmacy Technicians"),),
        cip=("51.0805", "Pharmacy Technician/Assistant"),
        naics=("446110", "Pharmacies and Drug Stores"),
        where="retail pharmacies, hospitals, and mail-order pharmacies",
        practice="a practice experience in a community or hospital pharmacy",
        skills=("Prescription Processing", "Pharmaceutical Calculations", "Sterile Compounding", "Inventory Management",
                "Pharmacy Law and Ethics", "Medication Safety"),
        comps=(("Prescription Processing", "Receive, interpret, and enter prescriptions accurately into the pharmacy system."),
               ("Pharmaceutical Calculations", "Perform dosage, concentration, and days-supply calculations without error."),
               ("Sterile Compounding", "Prepare sterile products using aseptic technique in accordance with USP <797>."),
               ("Inventory Management", "Manage drug inventory, including ordering, receiving, and handling recalls."),
               ("Pharmacy Law", "Apply federal and state regulations governing controlled substances."),
               ("Medication Safety", "Identify look-alike and sound-alike drugs and use strategies to prevent dispensing errors.")),
        courses=("PHT", ("Introduction to Pharmacy Practice", "Pharmaceutical Calculations", "Pharmacology for Technicians",
                         "Sterile Products and Aseptic Technique", "Pharmacy Technician Externship")),
        certs=(("Certified Pharmacy Technician", "CPhT"), ("Compounded Sterile Preparation Technician", "CSPT")),
        programs=("Pharmacy Technician Training Program", "Pharmacy Technician Apprenticeship Program"),
        trade="Pharmacy Technician",
    ),
    _field(
        "ems", name="Emergency Medical Services", subj="Emergency Medical Services", prog="Paramedic", tags="A", w=2,
        occ="emergency medical technician", occs="emergency medical technicians and paramedics",
        soc=(("29-2042", "Emergency Medical Technicians"), ("29-2043", "Paramedics")),
        cip=("51.0904", "Emergency Medical Technology/Technician (EMT Paramedic)"),
        naics=("621910", "Ambulance Services"),
        where="ambulance services, fire departments, and hospital emergency departments",
        practice="field internships with local EMS agencies",
        skills=("Patient Assessment", "Airway Management", "Cardiac Emergencies", "Trauma Care",
                "Emergency Vehicle Operations", "Prehospital Pharmacology"),
        comps=(("Scene Size-Up", "Assess scene safety and determine the number of patients and resources needed."),
               ("Airway Management", "Manage the airway using basic and advanced airway adjuncts."),
               ("Cardiac Arrest Management", "Perform high-quality CPR and use an automated external defibrillator."),
               ("Trauma Care", "Control hemorrhage and immobilize injuries in the prehospital setting."),
               ("Medical Emergencies", "Recognize and treat respiratory, diabetic, and allergic emergencies."),
               ("Patient Handoff", "Deliver a concise verbal report to receiving hospital staff.")),
        courses=("EMS", ("Emergency Medical Technician - Basic", "Advanced Cardiac Life Support", "Prehospital Trauma Life Support",
                         "Paramedic Pharmacology", "Paramedic Field Internship")),
        certs=(("Nationally Registered Emergency Medical Technician", "NREMT"), ("Nationally Registered Paramedic", "NRP")),
        lics=("Emergency Medical Technician (EMT) License", "Paramedic License"),
        board="Bureau of Emergency Medical Services",
        programs=("EMT-Basic Training", "Paramedic Program"),
        assoc="Associate of Applied Science in Paramedicine",
    ),
    _field(
        "dental", name="Dental Hygiene", subj="Dental Hygiene", prog="Dental Hygiene", tags="AB", w=1,
        occ="dental hygienist", occs="dental hygienists",
        soc=(("29-1292", "Dental Hygienists"),),
        cip=("51.0602", "Dental Hygiene/Hygienist"),
        naics=("621210", "Offices of Dentists"),
        where="general and specialty dental practices and community health centers",
        practice="patient care in an on-campus dental hygiene clinic",
        skills=("Periodontal Assessment", "Dental Radiography", "Scaling and Root Planing", "Local Anesthesia",
                "Oral Health Education"),
        comps=(("Periodontal Assessment", "Chart periodontal pocket depths and assess gingival health."),
               ("Dental Radiography", "Expose and evaluate intraoral and extraoral radiographs."),
               ("Instrumentation", "Remove calculus and biofilm using hand and ultrasonic instruments."),
               ("Pain Management", "Administer local anesthesia within the state scope of practice."),
               ("Preventive Care", "Apply sealants and fluoride treatments for caries prevention."),
               ("Patient Education", "Provide individualized oral hygiene instruction.")),
        courses=("DH", ("Oral Anatomy and Histology", "Dental Radiography", "Periodontology", "Clinical Dental Hygiene I",
                        "Community Dental Health")),
        lics=("Registered Dental Hygienist (RDH) License",), board="Board of Dentistry",
        programs=("Dental Hygiene Program",),
    ),
    _field(
        "coding", name="Medical Coding and Billing", subj="Health Information Technology", prog="Medical Coding and Billing",
        tags="A", w=2, occ="medical coder", occs="medical coders and health information technicians",
        soc=(("29-2072", "Medical Records Specialists"),),
        cip=("51.0713", "Medical Insurance Coding Specialist/Coder"),
        naics=("621111", "Offices of Physicians (except Mental Health Specialists)"),
        where="hospitals, physician practices, and insurance companies",
        practice="a virtual coding practicum using de-identified patient records",
        skills=("ICD-10-CM Coding", "CPT Coding", "Medical Terminology", "Revenue Cycle Management",
                "Health Information Privacy"),
        comps=(("Diagnosis Coding", "Assign ICD-10-CM diagnosis codes according to the official coding guidelines."),
               ("Procedure Coding", "Assign CPT and HCPCS Level II codes for outpatient services."),
               ("Claims Processing", "Prepare and submit clean claims and resolve denials."),
               ("Privacy and Security", "Apply HIPAA privacy and security rules to protected health information."),
               ("Clinical Documentation", "Query providers to clarify incomplete clinical documentation."),
               ("Medical Terminology", "Interpret the medical terminology used in clinical documentation.")),
        courses=("HIT", ("Medical Terminology", "ICD-10-CM Coding", "CPT Coding", "Health Insurance and Reimbursement",
                         "Legal Aspects of Health Information")),
        certs=(("Certified Professional Coder", "CPC"), ("Certified Coding Specialist", "CCS"),
               ("Certified Billing and Coding Specialist", "CBCS")),
        programs=("Medical Coding and Billing Program",),
        assoc="Associate of Applied Science in Health Information Technology",
    ),
    _field(
        "radtech", name="Radiologic Technology", subj="Radiologic Technology", prog="Radiography", tags="AB", w=1,
        occ="radiologic technologist", occs="radiologic technologists",
        soc=(("29-2034", "Radiologic Technologists and Technicians"),),
        cip=("51.0911", "Radiologic Technology/Science - Radiographer"),
        naics=("621512", "Diagnostic Imaging Centers"),
        where="hospitals, imaging centers, and orthopedic clinics",
        practice="clinical rotations in hospital radiology departments",
        skills=("Radiographic Positioning", "Radiation Protection", "Image Evaluation", "Patient Care",
                "Imaging Equipment Operation"),
        comps=(("Radiographic Positioning", "Position patients accurately for routine radiographic examinations."),
               ("Radiation Protection", "Apply ALARA principles to minimize dose to patients and staff."),
               ("Image Evaluation", "Evaluate radiographic images for diagnostic quality."),
               ("Exposure Technique", "Select exposure factors appropriate to the anatomy and the patient."),
               ("Patient Care", "Monitor patient condition and respond to contrast reactions."),
               ("Equipment Operation", "Operate digital radiography and fluoroscopy equipment safely.")),
        courses=("RAD", ("Introduction to Radiography", "Radiographic Procedures I", "Radiation Physics",
                         "Radiation Biology and Protection", "Radiography Clinical Education")),
        certs=(("Registered Technologist in Radiography", "R.T.(R)"),),
        lics=("Radiologic Technologist License",), board="Department of Health",
        programs=("Radiography Program",), assoc="Associate of Applied Science in Radiography",
    ),
    _field(
        "phlebotomy", name="Phlebotomy", subj="Phlebotomy", prog="Phlebotomy", w=2,
        occ="phlebotomist", occs="phlebotomists",
        soc=(("31-9097", "Phlebotomists"),),
        cip=("51.1009", "Phlebotomy Technician/Phlebotomist"),
        naics=("621511", "Medical Laboratories"),
        where="hospitals, blood donation centers, and diagnostic laboratories",
        practice="a clinical externship with at least 100 successful venipunctures",
        skills=("Venipuncture", "Specimen Handling", "Order of Draw", "Infection Control", "Patient Identification"),
        comps=(("Venipuncture", "Perform venipuncture using evacuated tube, syringe, and butterfly methods."),
               ("Order of Draw", "Collect specimens in the correct order of draw to prevent additive contamination."),
               ("Specimen Processing", "Label, centrifuge, and transport specimens according to laboratory requirements."),
               ("Patient Identification", "Verify patient identity using two identifiers before collection."),
               ("Laboratory Safety", "Dispose of sharps and biohazardous waste according to OSHA standards.")),
        courses=("PHB", ("Phlebotomy Techniques", "Laboratory Safety and Specimen Processing", "Phlebotomy Clinical Externship")),
        certs=(("Certified Phlebotomy Technician", "CPT"), ("Phlebotomy Technician Certification", "PBT")),
        programs=("Phlebotomy Technician Training",),
    ),
    _field(
        "surgtech", name="Surgical Technology", subj="Surgical Technology", prog="Surgical Technology", tags="A", w=1,
        occ="surgical technologist", occs="surgical technologists",
        soc=(("29-2055", "Surgical Technologists"),),
        cip=("51.0909", "Surgical Technology/Technologist"),
        naics=("622110", "General Medical and Surgical Hospitals"),
        where="hospital operating rooms and ambulatory surgery centers",
        practice="surgical rotations in hospital operating rooms",
        skills=("Aseptic Technique", "Surgical Instrumentation", "Sterile Processing", "Operating Room Safety",
                "Surgical Procedures"),
        comps=(("Aseptic Technique", "Establish and maintain the sterile field throughout a surgical procedure."),
               ("Instrumentation", "Prepare and pass surgical instruments in anticipation of the surgeon's needs."),
               ("Surgical Counts", "Perform sponge, sharps, and instrument counts with the circulating nurse."),
               ("Sterilization", "Decontaminate and sterilize instruments using appropriate methods."),
               ("Surgical Procedures", "Describe the steps of common general, orthopedic, and obstetric procedures.")),
        courses=("SRG", ("Introduction to Surgical Technology", "Surgical Procedures I", "Surgical Pharmacology",
                         "Microbiology for Surgical Technology", "Surgical Clinical Practicum")),
        certs=(("Certified Surgical Technologist", "CST"),),
        programs=("Surgical Technology Program",),
    ),
    _field(
        "pta", name="Physical Therapist Assistant", subj="Physical Therapist Assistant", prog="Physical Therapist Assistant",
        tags="A", w=1, occ="physical therapist assistant", occs="physical therapist assistants",
        soc=(("31-2021", "Physical Therapist Assistants"),),
        cip=("51.0806", "Physical Therapy Assistant"),
        naics=("621340", "Offices of Physical, Occupational and Speech Therapists, and Audiologists"),
        where="outpatient clinics, hospitals, and skilled nursing facilities",
        practice="full-time clinical affiliations in outpatient and inpatient settings",
        skills=("Therapeutic Exercise", "Gait Training", "Therapeutic Modalities", "Treatment Documentation",
                "Functional Mobility"),
        comps=(("Therapeutic Exercise", "Implement therapeutic exercise programs established by the physical therapist."),
               ("Gait Training", "Train patients in safe ambulation with assistive devices."),
               ("Modalities", "Apply thermal, electrical, and mechanical modalities safely."),
               ("Data Collection", "Measure range of motion, strength, and vital signs to track progress."),
               ("Documentation", "Write clear and accurate treatment notes.")),
        courses=("PTA", ("Introduction to Physical Therapy", "Kinesiology", "Therapeutic Exercise", "Therapeutic Modalities",
                         "PTA Clinical Affiliation")),
        lics=("Physical Therapist Assistant License",), board="Board of Physical Therapy",
        programs=("Physical Therapist Assistant Program",),
    ),
    _field(
        "pharmacy", name="Pharmacy", subj="Pharmacy", prog="Pharmacy", tags="D", w=1,
        occ="pharmacist", occs="pharmacists",
        soc=(("29-1051", "Pharmacists"),),
        cip=("51.2001", "Pharmacy (PharmD [USA], PharmD or BS/BPharm [Canada])"),
        naics=("446110", "Pharmacies and Drug Stores"),
        where="community pharmacies, hospitals, and ambulatory care clinics",
        practice="advanced pharmacy practice experiences in community and hospital settings",
        skills=("Pharmacotherapy", "Medication Therapy Management", "Pharmacokinetics", "Patient Counseling", "Pharmacy Law"),
        comps=(("Pharmacotherapy", "Design evidence-based drug therapy regimens for common diseases."),
               ("Patient Counseling", "Counsel patients on the safe and effective use of medications."),
               ("Medication Therapy Management", "Conduct comprehensive medication reviews and resolve drug therapy problems."),
               ("Pharmacokinetics", "Apply pharmacokinetic principles to individualize dosing."),
               ("Immunization", "Administer vaccines according to current immunization guidelines.")),
        courses=("PHAR", ("Pharmaceutics", "Medicinal Chemistry", "Pharmacotherapy I", "Pharmacy Law and Ethics",
                          "Advanced Pharmacy Practice Experience")),
        lics=("Pharmacist License",), board="Board of Pharmacy",
        programs=("Doctor of Pharmacy Program",), doct="Doctor of Pharmacy",
    ),
    _field(
        "pt", name="Physical Therapy", subj="Physical Therapy", prog="Physical Therapy", tags="D", w=1,
        occ="physical therapist", occs="physical therapists",
        soc=(("29-1123", "Physical Therapists"),),
        cip=("51.2308", "Physical Therapy/Therapist"),
        naics=("621340", "Offices of Physical, Occupational and Speech Therapists, and Audiologists"),
        where="hospitals, outpatient clinics, and sports medicine facilities",
        practice="full-time clinical internships across the continuum of care",
        skills=("Musculoskeletal Examination", "Neurologic Rehabilitation", "Clinical Reasoning",
                "Therapeutic Intervention", "Evidence-Based Practice"),
        comps=(("Examination", "Perform a systems review and select appropriate tests and measures."),
               ("Diagnosis and Prognosis", "Determine a physical therapy diagnosis and prognosis from examination findings."),
               ("Plan of Care", "Establish a plan of care with measurable functional goals."),
               ("Intervention", "Deliver manual therapy, therapeutic exercise, and neuromuscular re-education."),
               ("Outcomes Assessment", "Select and interpret standardized outcome measures.")),
        courses=("DPT", ("Gross Anatomy", "Clinical Kinesiology", "Musculoskeletal Physical Therapy",
                         "Neurologic Rehabilitation", "Clinical Internship")),
        lics=("Physical Therapist License",), board="Board of Physical Therapy",
        programs=("Doctor of Physical Therapy Program",), doct="Doctor of Physical Therapy",
    ),
    _field(
        "counseling", name="Clinical Mental Health Counseling", subj="Clinical Mental Health Counseling",
        prog="Mental Health Counseling", tags="M", w=1,
        occ="mental health counselor", occs="mental health counselors",
        soc=(("21-1018", "Substance Abuse, Behavioral Disorder, and Mental Health Counselors"),),
        cip=("51.1508", "Mental Health Counseling/Counselor"),
        naics=("621420", "Outpatient Mental Health and Substance Abuse Centers"),
        where="community mental health agencies, hospitals, and private practices",
        practice="a supervised 600-hour clinical internship",
        skills=("Counseling Theories", "Diagnosis and Treatment Planning", "Crisis Intervention", "Group Counseling",
                "Multicultural Counseling", "Professional Ethics"),
        comps=(("Clinical Assessment", "Conduct intake interviews and mental status examinations."),
               ("Diagnosis", "Apply DSM-5-TR criteria to formulate a diagnosis."),
               ("Treatment Planning", "Develop measurable treatment plans in collaboration with clients."),
               ("Crisis Intervention", "Assess suicide risk and implement safety planning."),
               ("Ethical Practice", "Apply the ACA Code of Ethics to clinical decisions.")),
        courses=("COUN", ("Counseling Theories and Techniques", "Psychopathology and Diagnosis", "Group Counseling",
                          "Multicultural Counseling", "Counseling Internship")),
        lics=("Licensed Professional Counselor (LPC)",), board="Board of Counseling",
        programs=("Clinical Mental Health Counseling Program",),
        mast="Master of Arts in Clinical Mental Health Counseling",
    ),
    _field(
        "socialwork", name="Social Work", subj="Social Work", prog="Social Work", tags="BM", w=1,
        occ="social worker", occs="social workers",
        soc=(("21-1021", "Child, Family, and School Social Workers"),),
        cip=("44.0701", "Social Work"),
        naics=("624190", "Other Individual and Family Services"),
        where="child welfare agencies, schools, and community organizations",
        practice="supervised field placements in community agencies",
        skills=("Case Management", "Child Welfare", "Social Welfare Policy", "Trauma-Informed Practice", "Community Advocacy"),
        comps=(("Engagement", "Engage individuals, families, and groups using empathy and interpersonal skills."),
               ("Assessment", "Collect and organize data to assess client strengths and needs."),
               ("Intervention", "Implement evidence-informed interventions to achieve client goals."),
               ("Policy Practice", "Analyze how social welfare policies affect service delivery."),
               ("Ethical Practice", "Make ethical decisions by applying the NASW Code of Ethics.")),
        courses=("SOWK", ("Introduction to Social Work", "Human Behavior in the Social Environment", "Social Welfare Policy",
                          "Social Work Practice with Families", "Field Practicum")),
        lics=("Licensed Social Worker (LSW)", "Licensed Clinical Social Worker (LCSW)"), board="Social Work Board",
        programs=("Bachelor of Social Work Program",),
        bach="Bachelor of Social Work", mast="Master of Social Work",
    ),
    _field(
        "software", name="Software Development", subj="Computer Science", prog="Software Development", tags="BAMD", w=4,
        occ="software developer", occs="software developers",
        soc=(("15-1252", "Software Developers"), ("15-1253", "Software Quality Assurance Analysts and Testers")),
        cip=("11.0701", "Computer Science"),
        naics=("541511", "Custom Computer Programming Services"),
        where="software companies, financial institutions, and technology startups",
        practice="team-based capstone projects with industry partners",
        skills=("Object-Oriented Programming", "Data Structures and Algorithms", "Web Application Development",
                "Software Testing", "Version Control with Git", "Database Design"),
        comps=(("Programming Fundamentals", "Write, test, and debug programs using control structures, functions, and collections."),
               ("Object-Oriented Design", "Design classes and interfaces that apply encapsulation, inheritance, and polymorphism."),
               ("Data Structures", "Select appropriate data structures and analyze algorithm complexity."),
               ("Software Testing", "Write automated unit and integration tests."),
               ("Version Control", "Manage source code using Git branches and pull requests."),
               ("Databases", "Design normalized relational schemas and write SQL queries.")),
        courses=("CS", ("Introduction to Programming with Python", "Object-Oriented Programming in Java",
                        "Data Structures and Algorithms", "Software Engineering", "Database Systems",
                        "Web Application Development")),
        certs=(("Certified Software Development Professional", "CSDP"), ("Certified Associate in Python Programming", "PCAP")),
        programs=("Full-Stack Web Development Bootcamp", "Software Development Program"),
        assoc="Associate of Applied Science in Computer Programming",
    ),
    _field(
        "itsupport", name="IT Support", subj="Information Technology", prog="Computer Support", tags="AP", w=3,
        occ="computer support specialist", occs="IT support specialists",
        soc=(("15-1232", "Computer User Support Specialists"),),
        cip=("11.1006", "Computer Support Specialist"),
        naics=("541519", "Other Computer Related Services"),
        where="help desks, managed service providers, and corporate IT departments",
        practice="hands-on labs with real hardware and a help desk practicum",
        skills=("Hardware Troubleshooting", "Operating System Support", "Help Desk Operations", "Networking Fundamentals",
                "Customer Service"),
        comps=(("Hardware Troubleshooting", "Diagnose and replace failed components in desktop and laptop computers."),
               ("Operating Systems", "Install, configure, and troubleshoot Windows, macOS, and Linux workstations."),
               ("Help Desk Operations", "Document, prioritize, and resolve support tickets using a ticketing system."),
               ("Networking Fundamentals", "Configure TCP/IP settings and troubleshoot basic connectivity."),
               ("Customer Service", "Explain technical solutions clearly to non-technical users.")),
        courses=("CIS", ("IT Fundamentals", "Computer Hardware and Troubleshooting", "Operating Systems", "Help Desk Support",
                         "Introduction to Networking")),
        certs=(("Certified Computer Support Technician", "CCST"), ("Help Desk Analyst Certification", "HDA")),
        programs=("IT Support Specialist Program", "IT Help Desk Apprenticeship"),
        assoc="Associate of Applied Science in Computer Support", trade="IT Support",
    ),
    _field(
        "network", name="Network Administration", subj="Network Administration", prog="Computer Networking", tags="AB", w=2,
        occ="network administrator", occs="network and computer systems administrators",
        soc=(("15-1244", "Network and Computer Systems Administrators"),),
        cip=("11.0901", "Computer Systems Networking and Telecommunications"),
        naics=("541512", "Computer Systems Design Services"),
        where="enterprise IT departments, data centers, and telecommunications providers",
        practice="hands-on work in a dedicated networking lab",
        skills=("Routing and Switching", "Network Security", "Windows Server Administration", "Cloud Infrastructure",
                "Linux Administration"),
        comps=(("Network Design", "Design IP addressing schemes using subnetting and VLANs."),
               ("Routing and Switching", "Configure and verify static and dynamic routing protocols."),
               ("Server Administration", "Install and manage directory services, DNS, and DHCP."),
               ("Network Monitoring", "Monitor network performance and troubleshoot outages."),
               ("Cloud Infrastructure", "Deploy and manage virtual networks in a public cloud.")),
        courses=("NET", ("Networking Essentials", "Routing and Switching", "Windows Server Administration",
                         "Linux System Administration", "Cloud Infrastructure")),
        certs=(("Certified Network Professional", "CNP"), ("Certified Systems Administrator", "CSA")),
        programs=("Network Administration Program",),
        assoc="Associate of Applied Science in Computer Networking Technology",
    ),
    _field(
        "cyber", name="Cybersecurity", subj="Cybersecurity", prog="Cybersecurity", tags="ABMP", w=4,
        occ="information security analyst", occs="information security analysts",
        soc=(("15-1212", "Information Security Analysts"),),
        cip=("11.1003", "Computer and Information Systems Security/Auditing/Information Assurance"),
        naics=("541512", "Computer Systems Design Services"),
        where="security operations centers, government agencies, and financial institutions",
        practice="capture-the-flag competitions and a virtual security operations center lab",
        skills=("Threat Analysis", "Incident Response", "Network Defense", "Vulnerability Assessment",
                "Security Governance", "Digital Forensics"),
        comps=(("Threat Analysis", "Identify common attack techniques and map them to the MITRE ATT&CK framework."),
               ("Network Defense", "Configure firewalls, intrusion detection systems, and secure network segmentation."),
               ("Incident Response", "Detect, contain, and recover from security incidents following an incident response plan."),
               ("Vulnerability Management", "Conduct vulnerability scans and prioritize remediation by risk."),
               ("Governance and Compliance", "Apply the NIST Cybersecurity Framework to organizational policy."),
               ("Digital Forensics", "Collect and preserve digital evidence using forensically sound methods.")),
        courses=("CYB", ("Introduction to Cybersecurity", "Network Security", "Ethical Hacking", "Digital Forensics",
                         "Security Policy and Governance", "Incident Response and Recovery")),
        certs=(("Certified Security Operations Analyst", "CSOA"), ("Certified Ethical Hacking Professional", "CEHP"),
               ("Information Systems Security Professional", "ISSP")),
        programs=("Cybersecurity Bootcamp", "Cybersecurity Analyst Apprenticeship"),
        trade="Cybersecurity",
    ),
    _field(
        "data", name="Data Analytics", subj="Data Science", prog="Data Analytics", tags="BM", w=3,
        occ="data analyst", occs="data analysts and data scientists",
        soc=(("15-2051", "Data Scientists"),),
        cip=("30.7101", "Data Analytics, General"),
        naics=("518210", "Data Processing, Hosting, and Related Services"),
        where="healthcare systems, retailers, and government agencies",
        practice="a portfolio of projects built on real public data sets",
        skills=("Data Visualization", "Statistical Analysis", "SQL Querying", "Python for Data Analysis",
                "Machine Learning", "Data Wrangling"),
        comps=(("Data Wrangling", "Clean, transform, and merge data sets from multiple sources."),
               ("SQL", "Write SQL queries with joins, aggregations, and window functions."),
               ("Statistical Analysis", "Apply descriptive and inferential statistics to answer business questions."),
               ("Data Visualization", "Build dashboards that communicate insights to stakeholders."),
               ("Machine Learning", "Train and evaluate regression and classification models."),
               ("Data Ethics", "Recognize privacy and bias risks in data collection and modeling.")),
        courses=("DATA", ("Introduction to Data Analytics", "SQL for Data Analysis", "Applied Statistics",
                          "Data Visualization", "Machine Learning Fundamentals")),
        certs=(("Certified Data Analyst", "CDA"), ("Certified Analytics Professional", "CAP")),
        programs=("Data Analytics Bootcamp", "Data Science Program"),
        mast="Master of Science in Data Science",
    ),
    _field(
        "webdev", name="Web Development", subj="Web Development", prog="Web Development", tags="A", w=2,
        occ="web developer", occs="web developers",
        soc=(("15-1254", "Web Developers"),),
        cip=("11.0801", "Web Page, Digital/Multimedia and Information Resources Design"),
        naics=("541511", "Custom Computer Programming Services"),
        where="digital agencies, e-commerce companies, and in-house marketing teams",
        practice="client projects for local nonprofits",
        skills=("HTML and CSS", "JavaScript Programming", "Responsive Design", "Web Accessibility", "Front-End Frameworks"),
        comps=(("Markup and Styling", "Build standards-compliant pages with semantic HTML and CSS."),
               ("JavaScript Programming", "Add interactivity using modern JavaScript and the DOM."),
               ("Responsive Design", "Create layouts that adapt to phones, tablets, and desktops."),
               ("Accessibility", "Apply WCAG 2.1 guidelines so that sites are usable by people with disabilities."),
               ("Deployment", "Deploy and maintain websites using version control and hosting services.")),
        courses=("WEB", ("HTML and CSS Foundations", "JavaScript Programming", "Responsive Web Design",
                         "Front-End Frameworks", "Web Development Capstone")),
        certs=(("Certified Web Developer", "CWD"), ("Web Accessibility Specialist", "WAS")),
        programs=("Front-End Web Development Bootcamp",),
    ),
    _field(
        "welding", name="Welding Technology", subj="Welding Engineering Technology", prog="Welding Technology", tags="AP", w=4,
        occ="welder", occs="welders",
        soc=(("51-4121", "Welders, Cutters, Solderers, and Brazers"),),
        cip=("48.0508", "Welding Technology/Welder"),
        naics=("332312", "Fabricated Structural Metal Manufacturing"),
        where="fabrication shops, shipyards, and construction sites",
        practice="hundreds of hours of booth time in a fully equipped welding lab",
        skills=("Shielded Metal Arc Welding", "Gas Metal Arc Welding", "Gas Tungsten Arc Welding", "Blueprint Reading",
                "Welding Inspection", "Oxy-Fuel Cutting"),
        comps=(("Shielded Metal Arc Welding", "Produce sound fillet and groove welds in all positions using the SMAW process."),
               ("Gas Metal Arc Welding", "Set up GMAW equipment and weld carbon steel plate in the flat and horizontal positions."),
               ("Gas Tungsten Arc Welding", "Weld stainless steel and aluminum using the GTAW process."),
               ("Blueprint Reading", "Interpret welding symbols and fabrication drawings."),
               ("Thermal Cutting", "Perform oxy-fuel and plasma arc cutting operations safely."),
               ("Weld Inspection", "Visually inspect welds for discontinuities against code acceptance criteria.")),
        courses=("WLD", ("Welding Safety and Fundamentals", "Shielded Metal Arc Welding I", "Gas Metal Arc Welding",
                         "Gas Tungsten Arc Welding", "Blueprint Reading for Welders", "Pipe Welding")),
        certs=(("Certified Welding Inspector", "CWI"), ("Certified Welder", "CW"), ("Certified Welding Educator", "CWE")),
        programs=("Welding Technology Program", "Structural Welding Training"),
        trade="Ironworkers",
    ),
    _field(
        "hvac", name="HVAC-R Technology", subj="HVAC-R Technology", prog="HVAC-R Technology", tags="AP", w=3,
        occ="HVAC technician", occs="HVAC-R technicians",
        soc=(("49-9021", "Heating, Air Conditioning, and Refrigeration Mechanics and Installers"),),
        cip=("47.0201", "Heating, Air Conditioning, Ventilation and Refrigeration Maintenance Technology/Technician"),
        naics=("238220", "Plumbing, Heating, and Air-Conditioning Contractors"),
        where="residential and commercial HVAC contractors and facility maintenance departments",
        practice="hands-on training on working residential and commercial systems",
        skills=("Refrigeration Cycle", "Electrical Controls", "Refrigerant Handling", "Heat Pump Systems",
                "Load Calculation", "Gas Furnace Service"),
        comps=(("Refrigeration Cycle", "Explain the vapor-compression refrigeration cycle and measure superheat and subcooling."),
               ("Electrical Controls", "Read wiring diagrams and troubleshoot HVAC control circuits."),
               ("Refrigerant Handling", "Recover, evacuate, and charge refrigerant in compliance with EPA Section 608."),
               ("Heating Systems", "Install and service gas furnaces and heat pumps."),
               ("Load Calculation", "Perform residential heating and cooling load calculations."),
               ("Customer Service", "Explain repair options and maintenance plans to homeowners.")),
        courses=("HVAC", ("Refrigeration Fundamentals", "Electricity for HVAC", "Heating Systems", "Air Conditioning Systems",
                          "Heat Pumps", "Commercial Refrigeration")),
        certs=(("EPA Section 608 Universal Technician Certification", "EPA 608"), ("Certified HVAC Service Technician", "CHST")),
        lics=("HVAC Contractor License", "Mechanical Journeyman License"), board="Department of Licensing and Regulation",
        programs=("HVAC-R Technician Program",), trade="Sheet Metal Workers",
    ),
    _field(
        "electrician", name="Electrical Technology", subj="Electrical Technology", prog="Electrical Technology", tags="APJ",
        w=3, occ="electrician", occs="electricians",
        soc=(("47-2111", "Electricians"),),
        cip=("46.0302", "Electrician"),
        naics=("238210", "Electrical Contractors and Other Wiring Installation Contractors"),
        where="electrical contractors, industrial plants, and utilities",
        practice="paid on-the-job training under licensed journeyworkers",
        skills=("National Electrical Code", "Residential Wiring", "Commercial Wiring", "Motor Controls", "Electrical Safety",
                "Conduit Bending"),
        comps=(("Electrical Theory", "Apply Ohm's law and circuit theory to series and parallel circuits."),
               ("Code Compliance", "Apply National Electrical Code requirements to residential and commercial installations."),
               ("Residential Wiring", "Install branch circuits, devices, and service equipment in dwellings."),
               ("Conduit Installation", "Measure, bend, and install EMT and rigid conduit."),
               ("Motor Controls", "Wire and troubleshoot motor starters and control circuits."),
               ("Electrical Safety", "Apply NFPA 70E lockout/tagout and arc-flash procedures.")),
        courses=("ELEC", ("Electrical Theory I", "National Electrical Code", "Residential Wiring",
                          "Commercial and Industrial Wiring", "Motor Controls")),
        lics=("Journeyman Electrician License", "Master Electrician License"), board="Electrical Licensing Board",
        programs=("Inside Wireman Apprenticeship Program", "Electrical Technology Program"), trade="Electrical",
    ),
    _field(
        "plumbing", name="Plumbing", subj="Plumbing", prog="Plumbing Technology", tags="PJ", w=2,
        occ="plumber", occs="plumbers and pipefitters",
        soc=(("47-2152", "Plumbers, Pipefitters, and Steamfitters"),),
        cip=("46.0503", "Plumbing Technology/Plumber"),
        naics=("238220", "Plumbing, Heating, and Air-Conditioning Contractors"),
        where="plumbing contractors, mechanical contractors, and industrial facilities",
        practice="paid on-the-job training with licensed plumbing contractors",
        skills=("Plumbing Code", "Drain, Waste, and Vent Systems", "Water Supply Systems", "Pipe Joining", "Blueprint Reading"),
        comps=(("Plumbing Code", "Apply the plumbing code to the design of residential systems."),
               ("DWV Systems", "Size and install drain, waste, and vent piping."),
               ("Water Supply", "Install water distribution systems and backflow prevention devices."),
               ("Pipe Joining", "Join copper, PEX, PVC, and steel pipe using approved methods."),
               ("Fixture Installation", "Set and connect fixtures, water heaters, and appliances.")),
        courses=("PLB", ("Plumbing Fundamentals", "Plumbing Code", "Drain, Waste, and Vent Systems", "Water Heaters and Fixtures",
                         "Pipefitting and Blueprint Reading")),
        lics=("Journeyman Plumber License", "Master Plumber License"), board="Plumbing Board",
        programs=("Plumbing Apprenticeship Program",), trade="Plumbers and Pipefitters",
    ),
    _field(
        "carpentry", name="Carpentry", subj="Construction Technology", prog="Carpentry", tags="APJ", w=2,
        occ="carpenter", occs="carpenters",
        soc=(("47-2031", "Carpenters"),),
        cip=("46.0201", "Carpentry/Carpenter"),
        naics=("236118", "Residential Remodelers"),
        where="residential builders, commercial contractors, and remodeling firms",
        practice="building projects on real job sites",
        skills=("Wall and Roof Framing", "Construction Math", "Blueprint Reading", "Finish Carpentry", "Jobsite Safety"),
        comps=(("Layout", "Lay out walls, floors, and roofs from construction drawings."),
               ("Framing", "Frame floors, walls, and roofs to code."),
               ("Finish Carpentry", "Install doors, windows, trim, and cabinets."),
               ("Construction Math", "Calculate materials, rise and run, and board feet."),
               ("Jobsite Safety", "Follow OSHA standards for fall protection, ladders, and power tools.")),
        courses=("CARP", ("Carpentry Fundamentals", "Floor and Wall Framing", "Roof Framing", "Interior Finish Carpentry",
                          "Construction Blueprint Reading")),
        programs=("Carpentry Apprenticeship Program", "Construction Trades Pre-Apprenticeship"), trade="Carpenters",
        assoc="Associate of Applied Science in Construction Technology",
    ),
    _field(
        "automotive", name="Automotive Technology", subj="Automotive Technology", prog="Automotive Technology", tags="A", w=2,
        occ="automotive service technician", occs="automotive service technicians",
        soc=(("49-3023", "Automotive Service Technicians and Mechanics"),),
        cip=("47.0604", "Automobile/Automotive Mechanics Technology/Technician"),
        naics=("811111", "General Automotive Repair"),
        where="dealerships, independent repair shops, and fleet maintenance facilities",
        practice="live work on customer vehicles in a dealership-style shop",
        skills=("Engine Performance", "Brake Systems", "Automotive Electrical Systems", "Steering and Suspension",
                "Automatic Transmissions", "Hybrid Vehicle Service"),
        comps=(("Engine Performance", "Diagnose drivability problems using scan tools and service information."),
               ("Brakes", "Inspect and repair hydraulic and antilock brake systems."),
               ("Electrical Systems", "Diagnose starting, charging, and body electrical circuits."),
               ("Suspension and Steering", "Perform wheel alignments and repair suspension components."),
               ("Shop Safety", "Use lifts, jacks, and shop equipment safely.")),
        courses=("AUT", ("Automotive Fundamentals", "Brake Systems", "Automotive Electrical Systems", "Engine Performance",
                         "Suspension and Steering")),
        certs=(("Certified Automotive Service Technician", "CAST"), ("Master Automobile Technician", "MAT")),
        programs=("Automotive Service Technician Program",),
    ),
    _field(
        "cdl", name="Commercial Truck Driving", subj="Commercial Driving", prog="Commercial Truck Driving", w=3,
        occ="truck driver", occs="tractor-trailer truck drivers",
        soc=(("53-3032", "Heavy and Tractor-Trailer Truck Drivers"),),
        cip=("49.0205", "Truck and Bus Driver/Commercial Vehicle Operator and Instructor"),
        naics=("484121", "General Freight Trucking, Long-Distance, Truckload"),
        where="long-haul carriers, regional freight companies, and private fleets",
        practice="behind-the-wheel training on the range and on public roads",
        skills=("Pre-Trip Inspection", "Basic Vehicle Control", "Hours-of-Service Rules", "Defensive Driving", "Cargo Securement"),
        comps=(("Pre-Trip Inspection", "Conduct a complete vehicle inspection and identify defects."),
               ("Basic Control", "Perform straight-line backing, offset backing, and parallel parking."),
               ("On-Road Driving", "Operate a tractor-trailer safely in traffic, on highways, and in urban areas."),
               ("Hours of Service", "Record duty status with an electronic logging device in compliance with FMCSA rules."),
               ("Cargo Securement", "Secure loads in accordance with federal cargo securement standards.")),
        courses=("CDL", ("CDL Classroom Theory", "Pre-Trip Inspection", "Range and Backing Skills", "Over-the-Road Driving")),
        lics=("Commercial Driver's License (Class A)", "Commercial Driver's License (Class B)"), board="Bureau of Motor Vehicles",
        programs=("Commercial Driver's License (Class A) Training", "CDL Class B Training"),
    ),
    _field(
        "machining", name="Precision Machining", subj="Manufacturing Engineering Technology", prog="CNC Machining", tags="AP",
        w=2, occ="machinist", occs="machinists and CNC operators",
        soc=(("51-4041", "Machinists"),),
        cip=("48.0501", "Machine Tool Technology/Machinist"),
        naics=("332710", "Machine Shops"),
        where="machine shops, aerospace suppliers, and medical device manufacturers",
        practice="production work on manual and CNC machines",
        skills=("CNC Programming", "Precision Measurement", "Blueprint Reading", "Manual Milling and Turning",
                "Geometric Dimensioning and Tolerancing"),
        comps=(("Precision Measurement", "Measure parts with micrometers, calipers, and indicators to within 0.001 inch."),
               ("Blueprint Reading", "Interpret engineering drawings and GD&T callouts."),
               ("Manual Machining", "Set up and operate manual lathes and vertical mills."),
               ("CNC Programming", "Write and edit G-code programs for CNC mills and lathes."),
               ("CNC Setup", "Set work and tool offsets and run a first-article inspection.")),
        courses=("MFG", ("Machine Shop Safety and Fundamentals", "Precision Measurement", "Manual Lathe and Mill",
                         "CNC Programming", "CAD/CAM for Machining")),
        certs=(("Machining Level I Certification", "ML1"), ("CNC Operator Certification", "CNCO")),
        programs=("CNC Machinist Program", "Machinist Apprenticeship Program"), trade="Machinists",
        assoc="Associate of Applied Science in Machine Tool Technology",
    ),
    _field(
        "maintenance", name="Industrial Maintenance", subj="Industrial Maintenance Technology", prog="Industrial Maintenance",
        tags="AP", w=2, occ="industrial maintenance technician", occs="industrial maintenance technicians",
        soc=(("49-9041", "Industrial Machinery Mechanics"),),
        cip=("47.0303", "Industrial Mechanics and Maintenance Technology/Technician"),
        naics=("333249", "Other Industrial Machinery Manufacturing"),
        where="manufacturing plants, food processors, and distribution centers",
        practice="troubleshooting exercises on industrial trainers",
        skills=("Programmable Logic Controllers", "Hydraulics and Pneumatics", "Mechanical Power Transmission",
                "Industrial Electricity", "Preventive Maintenance"),
        comps=(("Industrial Electricity", "Troubleshoot three-phase motors and control circuits."),
               ("PLCs", "Program and troubleshoot programmable logic controllers using ladder logic."),
               ("Fluid Power", "Maintain hydraulic and pneumatic systems."),
               ("Mechanical Systems", "Align shafts and replace bearings, belts, and chains."),
               ("Preventive Maintenance", "Plan and document preventive maintenance using a CMMS.")),
        courses=("IMT", ("Industrial Safety", "Industrial Electricity", "Programmable Logic Controllers",
                         "Hydraulics and Pneumatics", "Mechanical Drives")),
        certs=(("Certified Maintenance and Reliability Technician", "CMRT"), ("Industrial Maintenance Mechanic Certification", "IMM")),
        programs=("Industrial Maintenance Technician Program", "Mechatronics Apprenticeship"), trade="Millwrights",
    ),
    _field(
        "accounting", name="Accounting", subj="Accounting", prog="Accounting", tags="BM", w=3,
        occ="accountant", occs="accountants and auditors",
        soc=(("13-2011", "Accountants and Auditors"),),
        cip=("52.0301", "Accounting"),
        naics=("541211", "Offices of Certified Public Accountants"),
        where="public accounting firms, corporations, and government agencies",
        practice="an internship with a regional accounting firm",
        skills=("Financial Accounting", "Auditing", "Federal Taxation", "Cost Accounting", "Accounting Information Systems"),
        comps=(("Financial Reporting", "Prepare financial statements in accordance with GAAP."),
               ("Auditing", "Plan and perform audit procedures and evaluate internal controls."),
               ("Taxation", "Prepare individual and business federal income tax returns."),
               ("Managerial Accounting", "Use cost information for budgeting and decision making."),
               ("Professional Ethics", "Apply the AICPA Code of Professional Conduct.")),
        courses=("ACCT", ("Principles of Financial Accounting", "Intermediate Accounting I", "Cost Accounting", "Auditing",
                          "Federal Income Taxation")),
        certs=(("Certified Management Accountant", "CMA"), ("Certified Internal Auditor", "CIA")),
        lics=("Certified Public Accountant (CPA) License",), board="Board of Accountancy",
        programs=("Accounting Program",), mast="Master of Accountancy",
    ),
    _field(
        "bookkeeping", name="Bookkeeping", subj="Accounting Technology", prog="Bookkeeping", tags="A", w=1,
        occ="bookkeeper", occs="bookkeepers and accounting clerks",
        soc=(("43-3031", "Bookkeeping, Accounting, and Auditing Clerks"),),
        cip=("52.0302", "Accounting Technology/Technician and Bookkeeping"),
        naics=("541219", "Other Accounting Services"),
        where="small businesses, accounting firms, and nonprofits",
        practice="bookkeeping projects using industry-standard accounting software",
        skills=("Accounts Payable and Receivable", "Payroll", "Bank Reconciliation", "Accounting Software",
                "Financial Statements"),
        comps=(("Journal Entries", "Record business transactions using double-entry bookkeeping."),
               ("Reconciliation", "Reconcile bank and credit card statements."),
               ("Payroll", "Calculate payroll and withholding and prepare payroll tax forms."),
               ("Accounting Software", "Set up and maintain company files in accounting software."),
               ("Financial Statements", "Prepare an adjusted trial balance and basic financial statements.")),
        courses=("ACC", ("Bookkeeping I", "Payroll Accounting", "Computerized Accounting", "Business Math")),
        certs=(("Certified Bookkeeper", "CB"), ("Certified Payroll Professional", "CPP")),
        programs=("Bookkeeping Certificate Program",),
        assoc="Associate of Applied Science in Accounting Technology",
    ),
    _field(
        "business", name="Business Administration", subj="Business Administration", prog="Business Management", tags="ABMD",
        w=3, occ="manager", occs="general and operations managers",
        soc=(("11-1021", "General and Operations Managers"),),
        cip=("52.0201", "Business Administration and Management, General"),
        naics=("551114", "Corporate, Subsidiary, and Regional Managing Offices"),
        where="businesses of every size, nonprofits, and public agencies",
        practice="case studies and a strategic consulting capstone",
        skills=("Strategic Management", "Financial Management", "Marketing", "Organizational Leadership",
                "Operations Management", "Business Analytics"),
        comps=(("Strategic Thinking", "Analyze competitive environments and formulate business strategy."),
               ("Financial Decision Making", "Interpret financial statements to support investment decisions."),
               ("Marketing", "Develop marketing plans based on customer research."),
               ("Leadership", "Lead diverse teams and manage organizational change."),
               ("Operations", "Improve processes using quality and lean management tools.")),
        courses=("BUS", ("Principles of Management", "Principles of Marketing", "Business Finance", "Organizational Behavior",
                         "Business Strategy")),
        programs=("Business Administration Program", "Executive MBA Program"),
        bach="Bachelor of Business Administration", mast="Master of Business Administration",
        doct="Doctor of Business Administration", assoc="Associate of Applied Science in Business Management",
    ),
    _field(
        "pm", name="Project Management", subj="Project Management", prog="Project Management", tags="M", w=2,
        occ="project manager", occs="project management specialists",
        soc=(("13-1082", "Project Management Specialists"),),
        cip=("52.0211", "Project Management"),
        naics=("541611", "Administrative Management and General Management Consulting Services"),
        where="construction, information technology, and consulting firms",
        practice="a simulated project carried from initiation to closing",
        skills=("Project Scheduling", "Risk Management", "Agile Methods", "Stakeholder Communication", "Budget Control"),
        comps=(("Scope Management", "Define project scope and build a work breakdown structure."),
               ("Scheduling", "Develop schedules using critical path analysis."),
               ("Risk Management", "Identify, assess, and plan responses to project risks."),
               ("Agile Delivery", "Facilitate Scrum events and manage a product backlog."),
               ("Stakeholder Engagement", "Communicate project status to sponsors and stakeholders.")),
        courses=("PM", ("Project Management Fundamentals", "Agile Project Management", "Project Risk Management",
                        "Project Cost and Schedule Control")),
        certs=(("Project Management Professional", "PMP"), ("Certified Associate in Project Management", "CAPM"),
               ("Certified Scrum Master", "CSM")),
        programs=("Project Management Certificate Program", "PMP Exam Preparation"),
    ),
    _field(
        "hr", name="Human Resources", subj="Human Resource Management", prog="Human Resources", tags="B", w=1,
        occ="human resources specialist", occs="human resources specialists",
        soc=(("13-1071", "Human Resources Specialists"),),
        cip=("52.1001", "Human Resources Management/Personnel Administration, General"),
        naics=("541612", "Human Resources Consulting Services"),
        where="corporations, hospitals, and government agencies",
        practice="an applied project with a local employer",
        skills=("Talent Acquisition", "Employment Law", "Compensation and Benefits", "Employee Relations",
                "HR Information Systems"),
        comps=(("Talent Acquisition", "Plan recruitment and conduct structured interviews."),
               ("Employment Law", "Apply FLSA, FMLA, ADA, and Title VII requirements."),
               ("Compensation", "Design pay structures and benefits programs."),
               ("Employee Relations", "Investigate complaints and resolve workplace conflicts."),
               ("HR Analytics", "Use HR metrics to evaluate turnover and engagement.")),
        courses=("HRM", ("Human Resource Management", "Employment Law", "Compensation and Benefits", "Training and Development")),
        certs=(("Professional in Human Resources", "PHR"), ("Senior Professional in Human Resources", "SPHR")),
        programs=("Human Resources Management Certificate Program",),
    ),
    _field(
        "supplychain", name="Supply Chain Management", subj="Supply Chain Management", prog="Logistics and Supply Chain",
        tags="AB", w=1, occ="logistician", occs="logisticians",
        soc=(("13-1081", "Logisticians"),),
        cip=("52.0203", "Logistics, Materials, and Supply Chain Management"),
        naics=("493110", "General Warehousing and Storage"),
        where="distribution centers, manufacturers, and third-party logistics providers",
        practice="simulations of warehouse and transportation operations",
        skills=("Inventory Control", "Procurement", "Transportation Management", "Warehouse Operations", "Demand Planning"),
        comps=(("Procurement", "Select suppliers and negotiate purchasing agreements."),
               ("Inventory Control", "Apply reorder point and economic order quantity models."),
               ("Transportation", "Plan shipments and select modes to balance cost and service."),
               ("Warehouse Operations", "Design efficient receiving, picking, and shipping processes."),
               ("Demand Planning", "Forecast demand using time-series methods.")),
        courses=("SCM", ("Introduction to Supply Chain Management", "Purchasing and Procurement", "Inventory Management",
                         "Transportation and Logistics", "Warehouse Management")),
        certs=(("Certified Supply Chain Professional", "CSCP"), ("Certified Logistics Technician", "CLT")),
        programs=("Logistics and Supply Chain Program",),
    ),
    _field(
        "ece", name="Early Childhood Education", subj="Early Childhood Education", prog="Early Childhood Education",
        tags="ABMP", w=3, occ="early childhood educator", occs="preschool teachers and child care workers",
        soc=(("25-2011", "Preschool Teachers, Except Special Education"), ("39-9011", "Childcare Workers")),
        cip=("13.1210", "Early Childhood Education and Teaching"),
        naics=("624410", "Child Day Care Services"),
        where="child care centers, Head Start programs, and public pre-kindergarten classrooms",
        practice="supervised practicum hours in licensed child care centers",
        skills=("Child Development", "Developmentally Appropriate Practice", "Family Engagement", "Classroom Management",
                "Observation and Assessment", "Health, Safety, and Nutrition"),
        comps=(("Child Development", "Describe typical physical, cognitive, and social-emotional development from birth to age eight."),
               ("Learning Environments", "Plan safe, healthy, and developmentally appropriate learning environments."),
               ("Curriculum Planning", "Design play-based learning experiences aligned to early learning standards."),
               ("Observation and Assessment", "Use observation and documentation to assess children's progress."),
               ("Family Partnerships", "Build respectful, reciprocal relationships with families."),
               ("Professionalism", "Follow the NAEYC Code of Ethical Conduct.")),
        courses=("ECE", ("Child Growth and Development", "Introduction to Early Childhood Education", "Curriculum for Young Children",
                         "Health, Safety, and Nutrition", "Early Childhood Practicum")),
        certs=(("Child Development Associate", "CDA"),),
        programs=("Early Childhood Education Program", "Early Childhood Educator Apprenticeship"),
        mast="Master of Education in Early Childhood Education", trade="Early Childhood Educator",
    ),
    _field(
        "elementary", name="Elementary Education", subj="Elementary Education", prog="Elementary Education", tags="BM", w=2,
        occ="elementary school teacher", occs="elementary school teachers",
        soc=(("25-2021", "Elementary School Teachers, Except Special Education"),),
        cip=("13.1202", "Elementary Education and Teaching"),
        naics=("611110", "Elementary and Secondary Schools"),
        where="public and private elementary schools",
        practice="a full-semester student teaching placement",
        skills=("Literacy Instruction", "Mathematics Instruction", "Classroom Management", "Differentiated Instruction",
                "Assessment Literacy"),
        comps=(("Literacy Instruction", "Teach foundational reading skills using evidence-based methods."),
               ("Mathematics Instruction", "Plan standards-aligned mathematics lessons that build conceptual understanding."),
               ("Classroom Management", "Establish routines that support a positive learning environment."),
               ("Differentiation", "Adapt instruction for English learners and students with disabilities."),
               ("Assessment", "Use formative and summative assessment data to guide instruction.")),
        courses=("EDUC", ("Foundations of Education", "Teaching Reading in the Elementary Grades", "Elementary Mathematics Methods",
                          "Classroom Management", "Student Teaching Seminar")),
        lics=("Elementary Teaching License (Grades K-6)",), board="Department of Education",
        programs=("Elementary Teacher Preparation Program",),
        bach="Bachelor of Science in Elementary Education", mast="Master of Arts in Teaching",
    ),
    _field(
        "edlead", name="Educational Leadership", subj="Educational Leadership", prog="Educational Leadership", tags="MD", w=1,
        occ="school administrator", occs="principals and school administrators",
        soc=(("11-9032", "Education Administrators, Kindergarten through Secondary"),),
        cip=("13.0401", "Educational Leadership and Administration, General"),
        naics=("611110", "Elementary and Secondary Schools"),
        where="K-12 schools and district offices",
        practice="a year-long administrative internship in a partner district",
        skills=("Instructional Leadership", "School Law", "School Finance", "Data-Driven Decision Making", "Community Relations"),
        comps=(("Instructional Leadership", "Lead teachers in improving curriculum, instruction, and assessment."),
               ("School Law", "Apply federal and state education law to school operations."),
               ("Resource Management", "Develop and manage school budgets and staffing plans."),
               ("Data-Driven Improvement", "Use student achievement data to set school improvement goals."),
               ("Community Engagement", "Build partnerships with families and community organizations.")),
        courses=("EDL", ("Instructional Leadership", "School Law and Ethics", "School Finance and Operations",
                         "Leading School Improvement", "Administrative Internship")),
        lics=("Principal License",), board="Department of Education",
        programs=("Principal Preparation Program",),
        mast="Master of Education in Educational Leadership", doct="Doctor of Education in Educational Leadership",
    ),
    _field(
        "culinary", name="Culinary Arts", subj="Culinary Arts", prog="Culinary Arts", tags="A", w=1,
        occ="chef", occs="chefs and cooks",
        soc=(("35-1011", "Chefs and Head Cooks"),),
        cip=("12.0503", "Culinary Arts/Chef Training"),
        naics=("722511", "Full-Service Restaurants"),
        where="restaurants, hotels, and institutional kitchens",
        practice="production shifts in a student-run restaurant",
        skills=("Food Safety and Sanitation", "Knife Skills", "Baking and Pastry", "Menu Planning", "Kitchen Management"),
        comps=(("Food Safety", "Apply HACCP principles and safe food handling practices."),
               ("Knife Skills", "Execute classical knife cuts accurately and safely."),
               ("Cooking Methods", "Apply dry-heat and moist-heat cooking methods."),
               ("Baking", "Prepare breads, pastries, and desserts using standard formulas."),
               ("Menu Costing", "Cost recipes and price menus to meet food cost targets.")),
        courses=("CUL", ("Culinary Fundamentals", "Food Safety and Sanitation", "Baking and Pastry I", "Garde Manger",
                         "Restaurant Operations")),
        certs=(("Certified Food Protection Manager", "CFPM"), ("Certified Culinarian", "CC")),
        programs=("Culinary Arts Program",),
    ),
    _field(
        "cosmetology", name="Cosmetology", subj="Cosmetology", prog="Cosmetology", w=2,
        occ="cosmetologist", occs="hairstylists and cosmetologists",
        soc=(("39-5012", "Hairdressers, Hairstylists, and Cosmetologists"),),
        cip=("12.0401", "Cosmetology/Cosmetologist, General"),
        naics=("812112", "Beauty Salons"),
        where="salons, spas, and barbershops",
        practice="clinic-floor services for paying guests",
        skills=("Hair Cutting", "Hair Coloring", "Chemical Texture Services", "Skin Care", "Salon Sanitation"),
        comps=(("Hair Cutting", "Perform precision haircuts using shears, razors, and clippers."),
               ("Hair Color", "Formulate and apply permanent and semi-permanent haircolor."),
               ("Chemical Services", "Perform permanent waves and chemical relaxers safely."),
               ("Infection Control", "Clean and disinfect tools and workstations to state board standards."),
               ("Client Consultation", "Conduct client consultations and recommend services.")),
        courses=("COS", ("Cosmetology Fundamentals", "Hair Cutting and Styling", "Hair Color Theory",
                         "Chemical Texture Services", "State Board Exam Preparation")),
        lics=("Cosmetology License", "Cosmetology Instructor License"), board="Board of Cosmetology",
        programs=("Cosmetology Program (1,500 Hours)", "Barbering Program"),
    ),
    _field(
        "police", name="Law Enforcement", subj="Criminal Justice", prog="Law Enforcement", tags="AB", w=1,
        occ="police officer", occs="police and sheriff's patrol officers",
        soc=(("33-3051", "Police and Sheriff's Patrol Officers"),),
        cip=("43.0107", "Criminal Justice/Police Science"),
        naics=("922120", "Police Protection"),
        where="municipal police departments, sheriff's offices, and state agencies",
        practice="scenario-based training and firearms qualification",
        skills=("Criminal Law", "Patrol Procedures", "Use of Force", "Report Writing", "Crisis Intervention"),
        comps=(("Criminal Law", "Apply state criminal statutes and constitutional law to arrest decisions."),
               ("Patrol Procedures", "Conduct traffic stops and respond to calls for service safely."),
               ("Use of Force", "Apply de-escalation techniques and use-of-force policy."),
               ("Report Writing", "Write clear, accurate incident reports."),
               ("Crisis Intervention", "Respond to persons in mental health crisis using crisis intervention techniques.")),
        courses=("CJ", ("Introduction to Criminal Justice", "Criminal Law", "Criminal Procedure", "Police Patrol Operations",
                        "Basic Police Academy")),
        lics=("Peace Officer Certification",), board="Peace Officer Standards and Training Commission",
        programs=("Basic Peace Officer Academy",), assoc="Associate of Applied Science in Criminal Justice",
    ),
    _field(
        "fire", name="Fire Science", subj="Fire Science", prog="Fire Science Technology", tags="A", w=1,
        occ="firefighter", occs="firefighters",
        soc=(("33-2011", "Firefighters"),),
        cip=("43.0203", "Fire Science/Fire-fighting"),
        naics=("922160", "Fire Protection"),
        where="municipal fire departments and industrial fire brigades",
        practice="live-fire training at a regional training tower",
        skills=("Fire Behavior", "Fire Suppression", "Hazardous Materials Awareness", "Rescue Operations", "Fire Prevention"),
        comps=(("Fire Behavior", "Explain fire chemistry and the stages of fire development."),
               ("Suppression", "Deploy hose lines and perform fire attack as part of a team."),
               ("Ladders", "Carry, raise, and climb ground ladders safely."),
               ("Search and Rescue", "Conduct primary and secondary searches of structures."),
               ("Hazardous Materials", "Recognize hazardous materials incidents and take initial protective actions.")),
        courses=("FIRE", ("Principles of Emergency Services", "Fire Behavior and Combustion", "Firefighter I", "Firefighter II",
                          "Fire Prevention")),
        certs=(("Firefighter I Certification", "FF1"), ("Firefighter II Certification", "FF2"),
               ("Hazardous Materials Operations Certification", "HMO")),
        programs=("Firefighter Academy",),
    ),
    _field(
        "paralegal", name="Paralegal Studies", subj="Paralegal Studies", prog="Paralegal Studies", tags="A", w=1,
        occ="paralegal", occs="paralegals and legal assistants",
        soc=(("23-2011", "Paralegals and Legal Assistants"),),
        cip=("22.0302", "Legal Assistant/Paralegal"),
        naics=("541110", "Offices of Lawyers"),
        where="law firms, corporate legal departments, and government offices",
        practice="an internship in a law office",
        skills=("Legal Research", "Legal Writing", "Litigation Support", "Contract Law", "Electronic Discovery"),
        comps=(("Legal Research", "Locate and analyze statutes, regulations, and case law."),
               ("Legal Writing", "Draft memoranda, pleadings, and correspondence."),
               ("Litigation Support", "Organize discovery and prepare trial notebooks."),
               ("Legal Ethics", "Apply rules of professional conduct, including avoiding the unauthorized practice of law."),
               ("Legal Technology", "Use e-discovery and case management software.")),
        courses=("PLS", ("Introduction to Paralegal Studies", "Legal Research and Writing", "Civil Litigation", "Contracts",
                         "Paralegal Internship")),
        certs=(("Certified Paralegal", "CP"), ("Registered Paralegal", "RP")),
        programs=("Paralegal Certificate Program",),
    ),
    _field(
        "realestate", name="Real Estate", subj="Real Estate", prog="Real Estate", w=1,
        occ="real estate agent", occs="real estate sales agents",
        soc=(("41-9022", "Real Estate Sales Agents"),),
        cip=("52.1501", "Real Estate"),
        naics=("531210", "Offices of Real Estate Agents and Brokers"),
        where="residential and commercial brokerages",
        practice="practice transactions and contract exercises",
        skills=("Real Estate Principles", "Real Estate Law", "Contracts and Disclosures", "Property Valuation",
                "Real Estate Finance"),
        comps=(("Property Ownership", "Explain forms of ownership, estates, and legal descriptions."),
               ("Agency", "Apply agency relationships and disclosure duties."),
               ("Contracts", "Complete purchase agreements and required disclosures."),
               ("Valuation", "Prepare a comparative market analysis."),
               ("Fair Housing", "Apply fair housing law in advertising and client interactions.")),
        courses=("RE", ("Real Estate Principles", "Real Estate Practice", "Real Estate Law", "Real Estate Finance")),
        lics=("Real Estate Salesperson License", "Real Estate Broker License"), board="Real Estate Commission",
        programs=("Real Estate Pre-Licensing Program",),
    ),
    _field(
        "solar", name="Solar Energy Technology", subj="Renewable Energy Technology", prog="Solar Energy Technology", tags="A",
        w=1, occ="solar photovoltaic installer", occs="solar photovoltaic installers",
        soc=(("47-2231", "Solar Photovoltaic Installers"),),
        cip=("15.0505", "Solar Energy Technology/Technician"),
        naics=("238210", "Electrical Contractors and Other Wiring Installation Contractors"),
        where="solar installers, electrical contractors, and utilities",
        practice="installing systems on a rooftop training lab",
        skills=("PV System Design", "Solar Installation Safety", "Electrical Fundamentals", "Battery Storage", "Site Assessment"),
        comps=(("Site Assessment", "Evaluate shading, orientation, and structural suitability of a site."),
               ("System Design", "Size PV arrays and inverters to meet customer energy needs."),
               ("Installation", "Install racking, modules, and wiring according to the NEC."),
               ("Commissioning", "Test and commission PV systems and document performance."),
               ("Rooftop Safety", "Apply fall protection and electrical safety practices on rooftops.")),
        courses=("SOL", ("Introduction to Solar Energy", "PV System Design", "PV Installation Lab", "Energy Storage Systems")),
        certs=(("PV Installation Professional", "PVIP"), ("PV Associate", "PVA")),
        programs=("Solar Installer Training Program",),
        assoc="Associate of Applied Science in Renewable Energy Technology",
    ),
    _field(
        "vettech", name="Veterinary Technology", subj="Veterinary Technology", prog="Veterinary Technology", tags="A", w=1,
        occ="veterinary technician", occs="veterinary technicians",
        soc=(("29-2056", "Veterinary Technologists and Technicians"),),
        cip=("51.0808", "Veterinary/Animal Health Technology/Technician and Veterinary Assistant"),
        naics=("541940", "Veterinary Services"),
        where="animal hospitals, research laboratories, and shelters",
        practice="clinical rotations in veterinary hospitals",
        skills=("Animal Nursing", "Veterinary Anesthesia", "Clinical Laboratory Procedures", "Veterinary Radiography",
                "Client Communication"),
        comps=(("Animal Nursing", "Provide nursing care to hospitalized small and large animals."),
               ("Anesthesia", "Induce, monitor, and recover patients under general anesthesia."),
               ("Laboratory Procedures", "Perform hematology, urinalysis, and parasitology tests."),
               ("Dental Prophylaxis", "Perform dental cleanings and charting."),
               ("Pharmacology", "Calculate drug doses and dispense medications as directed by a veterinarian.")),
        courses=("VET", ("Introduction to Veterinary Technology", "Animal Anatomy and Physiology", "Veterinary Clinical Pathology",
                         "Anesthesia and Surgical Nursing", "Veterinary Externship")),
        lics=("Licensed Veterinary Technician (LVT)",), board="Veterinary Medical Board",
        programs=("Veterinary Technology Program",),
    ),
    _field(
        "graphic", name="Graphic Design", subj="Graphic Design", prog="Graphic Design", tags="AB", w=1,
        occ="graphic designer", occs="graphic designers",
        soc=(("27-1024", "Graphic Designers"),),
        cip=("50.0409", "Graphic Design"),
        naics=("541430", "Graphic Design Services"),
        where="design studios, advertising agencies, and in-house marketing departments",
        practice="a professional portfolio review with working designers",
        skills=("Typography", "Layout Design", "Brand Identity", "Digital Illustration", "User Interface Design"),
        comps=(("Typography", "Select and set type to create clear visual hierarchy."),
               ("Layout", "Compose multi-page layouts using grids."),
               ("Branding", "Develop logos and brand identity systems."),
               ("Image Editing", "Edit and prepare images for print and screen."),
               ("Design Process", "Present and revise design concepts based on client feedback.")),
        courses=("GRD", ("Design Fundamentals", "Typography", "Digital Imaging", "Branding and Identity", "Portfolio Development")),
        programs=("Graphic Design Program",), bach="Bachelor of Fine Arts in Graphic Design",
    ),
    _field(
        "mecheng", name="Mechanical Engineering", subj="Mechanical Engineering", prog="Mechanical Engineering Technology",
        tags="BMD", w=1, occ="mechanical engineer", occs="mechanical engineers",
        soc=(("17-2141", "Mechanical Engineers"),),
        cip=("14.1901", "Mechanical Engineering"),
        naics=("541330", "Engineering Services"),
        where="manufacturers, engineering consulting firms, and energy companies",
        practice="a two-semester senior design project sponsored by industry",
        skills=("Thermodynamics", "Mechanics of Materials", "Computer-Aided Design", "Fluid Mechanics", "Heat Transfer"),
        comps=(("Engineering Mechanics", "Analyze forces and moments in static and dynamic systems."),
               ("Thermal Systems", "Apply thermodynamics and heat transfer to energy systems."),
               ("Mechanical Design", "Design mechanical components to meet specifications and constraints."),
               ("Computer-Aided Design", "Create parametric 3D models and engineering drawings."),
               ("Experimentation", "Design experiments and analyze data to draw engineering conclusions.")),
        courses=("ME", ("Statics", "Dynamics", "Thermodynamics", "Mechanics of Materials", "Machine Design",
                        "Senior Design Project")),
        lics=("Professional Engineer (PE) License",), board="Board of Registration for Professional Engineers",
        programs=("Mechanical Engineering Program",),
    ),
)  # fmt: skip

FIELDS_BY_KEY = {f["key"]: f for f in FIELDS}

# Top levels of every competency framework: generic domains with the field's
# competencies below them.
_DOMAINS = (
    ("Technical Knowledge and Skills",
     "Demonstrates the technical knowledge and skills expected of entry-level {occs}."),
    ("Safety and Regulatory Compliance",
     "Works safely and in compliance with the laws, codes, and standards that govern {occs}."),
    ("Professional Practice", "Practices with the professionalism, communication, and judgment expected of {occs}."),
)  # fmt: skip

# Organization kinds: class, agent types, sectors (with weights), own NAICS code.
_ORG_KINDS = {
    "university": ("ceterms:CredentialOrganization", ("FourYear", "Postsecondary"),
                   ("Public", "Public", "PrivateNonProfit"),
                   ("611310", "Colleges, Universities, and Professional Schools")),
    "college": ("ceterms:CredentialOrganization", ("TwoYear", "Postsecondary", "Technical"),
                ("Public",), ("611210", "Junior Colleges")),
    "training": ("ceterms:CredentialOrganization", ("TrainingProvider", "Vendor"),
                 ("PrivateForProfit",), ("611519", "Other Technical and Trade Schools")),
    "certbody": ("ceterms:CredentialOrganization", ("CertificationBody", "ProfessionalAssociation", "AssessmentBody"),
                 ("PrivateNonProfit",), ("813920", "Professional Organizations")),
    "apprentice": ("ceterms:CredentialOrganization", ("TrainingProvider", "LaborUnion"),
                   ("PrivateNonProfit",), ("813930", "Labor Unions and Similar Labor Organizations")),
    "regulator": ("ceterms:QACredentialOrganization", ("Government", "Regulator", "QualityAssurance"),
                  ("Public",), ("926150", "Regulation, Licensing, and Inspection of Miscellaneous Commercial Sectors")),
    "accreditor": ("ceterms:QACredentialOrganization", ("AccreditationBody", "QualityAssurance"),
                   ("PrivateNonProfit",), ("611710", "Educational Support Services")),
}  # fmt: skip

# Which organization kinds own which resource types (first listed = preferred),
# and which field tag the type needs.
_OWNER_KINDS = {
    "ceterms:BachelorDegree": ("university",),
    "ceterms:MasterDegree": ("university",),
    "ceterms:DoctoralDegree": ("university",),
    "ceterms:AssociateDegree": ("college",),
    "ceterms:Diploma": ("college", "training"),
    "ceterms:Certificate": ("college", "university", "training"),
    "ceterms:Certification": ("certbody",),
    "ceterms:License": ("regulator",),
    "ceterms:Badge": ("certbody", "training", "college", "university"),
    "ceterms:DigitalBadge": ("training", "college", "university", "certbody"),
    "ceterms:OpenBadge": ("university", "college", "certbody", "training"),
    "ceterms:MicroCredential": ("university", "college", "training", "certbody"),
    "ceterms:ApprenticeshipCertificate": ("apprentice", "college"),
    "ceterms:JourneymanCertificate": ("apprentice", "regulator"),
    "ceterms:CertificateOfCompletion": ("training", "college", "certbody"),
    "ceterms:LearningProgram": ("college", "university", "training", "apprentice"),
    "ceterms:Course": ("college", "university", "training"),
    "ceterms:LearningOpportunityProfile": ("training", "certbody", "college"),
    "ceterms:AssessmentProfile": ("certbody", "college", "training", "regulator"),
    "ceasn:CompetencyFramework": ("certbody", "college", "university", "apprentice"),
}  # fmt: skip

_TYPE_TAGS = {
    "ceterms:BachelorDegree": "B",
    "ceterms:MasterDegree": "M",
    "ceterms:DoctoralDegree": "D",
    "ceterms:AssociateDegree": "A",
    "ceterms:Diploma": "AP",
    "ceterms:Certification": "N",
    "ceterms:License": "L",
    "ceterms:ApprenticeshipCertificate": "P",
    "ceterms:JourneymanCertificate": "J",
}


def _fields_for(rtype: str) -> tuple[list[dict], list[float]]:
    tags = _TYPE_TAGS.get(rtype)
    chosen = [f for f in FIELDS if tags is None or any(t in f["tagset"] for t in tags)]
    cum, total = [], 0.0
    for f in chosen:
        total += f["w"]
        cum.append(total)
    return chosen, cum


_FIELD_CHOICES = {t: _fields_for(t) for t in _OWNER_KINDS}


# --------------------------------------------------------------------------------------
# Public helpers
# --------------------------------------------------------------------------------------


_UUID_CLEAR = ~((0xF000 << 64) | (0xC000 << 48))
_UUID_SET = (0x4000 << 64) | (0x8000 << 48)


def ctid(rng: random.Random) -> str:
    """A new CTID: ``ce-`` and a lower-case version-4 UUID drawn from ``rng``.

    The same string as ``"ce-" + str(uuid.UUID(int=rng.getrandbits(128), version=4))``, built faster.
    """
    h = f"{(rng.getrandbits(128) & _UUID_CLEAR) | _UUID_SET:032x}"
    return f"ce-{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def resource_iri(ctid: str) -> str:
    """The registry IRI of the resource with this CTID."""
    return RESOURCE_BASE + ctid


def graph_iri(ctid: str) -> str:
    """The ``@id`` of the published document (its named graph) for this CTID."""
    return GRAPH_BASE + ctid


def main_node(doc: dict) -> dict:
    """The resource node of a generated document (the first node of its ``@graph``)."""
    return doc["@graph"][0]


def organizations(docs: list[dict]) -> list[tuple[str, str]]:
    """(ctid, English name) of every organization document in ``docs``, in order."""
    out = []
    for doc in docs:
        graph = doc.get("@graph") if isinstance(doc, dict) else None
        node = graph[0] if graph else doc
        if not isinstance(node, dict) or node.get("@type") not in ORGANIZATION_TYPES:
            continue
        name = node.get("ceterms:name") or {}
        if isinstance(name, dict):
            text = name.get(LANG) or next(iter(name.values()), "")
        else:
            text = str(name)
        out.append((node["ceterms:ctid"], text))
    return out


def generate(n: int, seed: int = 0) -> list[dict]:
    """``n`` standalone CTDL JSON-LD documents, the same for the same ``(n, seed)``.

    About one organization per twelve other resources, organizations first (at
    least one; for ``n < 12`` exactly one). The rest is a fixed mix of
    credentials of every major type, learning programs, courses, learning
    opportunities, assessments and competency frameworks, in which every
    reference points to a document earlier in the list. A prefix of the list
    is not the same as ``generate`` with a smaller ``n`` (the organization
    count depends on ``n``), but for a given ``n`` the output never varies.
    """
    if n <= 0:
        return []
    gen = _Generator(seed)
    n_orgs = 1 if n < 12 else max(1, round(n / 13))
    # Millions of small dicts and no cycles: the cyclic garbage collector would
    # only rescan them over and over (it doubles the time for 100,000 documents).
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        docs = [gen.organization() for _ in range(n_orgs)]
        docs.extend(gen.resource() for _ in range(n - n_orgs))
    finally:
        if gc_was_enabled:
            gc.enable()
    return docs


def demo_documents() -> list[dict]:
    """The bundled demo data set: ``generate(240, seed=2026)`` (a fresh copy each call)."""
    return generate(DEMO_SIZE, seed=DEMO_SEED)


# --------------------------------------------------------------------------------------
# Small builders
# --------------------------------------------------------------------------------------


def _concept(scheme: str, local: str) -> dict[str, Any]:
    framework, framework_name, labels = _SCHEMES[scheme]
    return {
        "@type": "ceterms:CredentialAlignmentObject",
        "ceterms:framework": framework,
        "ceterms:frameworkName": {LANG: framework_name},
        "ceterms:targetNode": f"{scheme}:{local}",
        "ceterms:targetNodeName": {LANG: labels[local]},
    }


def _soc(code: str, title: str) -> dict[str, Any]:
    return {
        "@type": "ceterms:CredentialAlignmentObject",
        "ceterms:codedNotation": code,
        "ceterms:framework": _SOC_FRAMEWORK[0],
        "ceterms:frameworkName": {LANG: _SOC_FRAMEWORK[1]},
        "ceterms:targetNode": f"https://www.onetonline.org/link/summary/{code}.00",
        "ceterms:targetNodeName": {LANG: title},
    }


def _cip(code: str, title: str) -> dict[str, Any]:
    return {
        "@type": "ceterms:CredentialAlignmentObject",
        "ceterms:codedNotation": code,
        "ceterms:framework": _CIP_FRAMEWORK[0],
        "ceterms:frameworkName": {LANG: _CIP_FRAMEWORK[1]},
        "ceterms:targetNode": f"https://nces.ed.gov/ipeds/cipcode/cipdetail.aspx?y=56&cip={code}",
        "ceterms:targetNodeName": {LANG: title},
    }


def _naics(code: str, title: str) -> dict[str, Any]:
    return {
        "@type": "ceterms:CredentialAlignmentObject",
        "ceterms:codedNotation": code,
        "ceterms:framework": _NAICS_FRAMEWORK[0],
        "ceterms:frameworkName": {LANG: _NAICS_FRAMEWORK[1]},
        "ceterms:targetNode": f"https://www.census.gov/naics/?input={code}&year=2017&details={code}",
        "ceterms:targetNodeName": {LANG: title},
    }


def _jurisdiction(state: str | None) -> dict[str, Any]:
    if state is None:
        place = {"@type": "ceterms:GeoCoordinates", "ceterms:name": {LANG: "United States"},
                 "ceterms:geoURI": _US_GEONAMES}  # fmt: skip
    else:
        place = {"@type": "ceterms:GeoCoordinates", "ceterms:name": {LANG: state}}
    return {"@type": "ceterms:JurisdictionProfile", "ceterms:globalJurisdiction": False,
            "ceterms:mainJurisdiction": [place]}  # fmt: skip


def _duration(iso: str, text: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"@type": "ceterms:DurationProfile", "ceterms:exactDuration": iso}
    if text:
        out["ceterms:description"] = {LANG: text}
    return out


def _slug(text: str) -> str:
    return _SLUG_RE.sub("-", text.lower()).strip("-")


def _and(items: list[str]) -> str:
    if len(items) < 3:
        return " and ".join(items)
    return ", ".join(items[:-1]) + ", and " + items[-1]


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def _acronym(name: str) -> str:
    return "".join(w[0] for w in name.replace("-", " ").split() if w[0].isupper())


class _Org:
    __slots__ = ("iri", "ctid", "name", "kind", "fields", "city", "street", "lat", "lon", "domain", "phone", "email")

    def __init__(self, **kw: Any):
        for key, value in kw.items():
            setattr(self, key, value)

    @property
    def state(self) -> str:
        return _STATES[self.city[0]]

    @property
    def the_name(self) -> str:
        """The name as used inside a sentence: "the Ohio Board of Nursing", "Lakeshore State University"."""
        if self.kind in ("regulator", "certbody", "accreditor", "apprentice") or self.name.startswith("University of"):
            return "the " + self.name
        return self.name


_UNION_TRADES = frozenset(
    ("Electrical", "Plumbers and Pipefitters", "Carpenters", "Sheet Metal Workers", "Ironworkers", "Millwrights",
     "Machinists")
)  # fmt: skip
_ACADEMIC_ONLY = frozenset(("pharmacy", "pt", "counseling", "socialwork", "elementary", "edlead", "mecheng", "dental",
                            "radtech", "business", "accounting"))  # fmt: skip
_GENERAL_BOARDS = ("Department of Professional Regulation", "Division of Occupational and Professional Licensing")
_REG_DROP = frozenset("department division bureau of and the for".split())
_CAPITALS = {c[0]: c for c in _CITIES if c[6]}

_TYPE_SECTION = {
    "ceterms:BachelorDegree": "academics/programs", "ceterms:AssociateDegree": "academics/programs",
    "ceterms:MasterDegree": "graduate/programs", "ceterms:DoctoralDegree": "graduate/programs",
    "ceterms:Certificate": "programs", "ceterms:Diploma": "programs", "ceterms:Certification": "certification",
    "ceterms:License": "licensing", "ceterms:Badge": "badges", "ceterms:DigitalBadge": "badges",
    "ceterms:OpenBadge": "badges", "ceterms:MicroCredential": "microcredentials",
    "ceterms:ApprenticeshipCertificate": "apprenticeship", "ceterms:JourneymanCertificate": "apprenticeship",
    "ceterms:CertificateOfCompletion": "training", "ceterms:LearningProgram": "programs",
    "ceterms:Course": "courses", "ceterms:LearningOpportunityProfile": "events",
    "ceterms:AssessmentProfile": "exams", "ceasn:CompetencyFramework": "competencies",
}  # fmt: skip

# type -> (audience levels, durations (ISO, words), cost type, price range, condition name, conditions)
_CRED_PROFILE: dict[str, tuple] = {
    "ceterms:BachelorDegree": (("BachelorsDegreeLevel", "UndergraduateLevel"), (("P4Y", "four years"),), "Tuition",
                               (9000, 42000), "Admission and Graduation Requirements",
                               ("High school diploma or GED", "Minimum cumulative GPA of 2.5",
                                "Completion of 120 semester credit hours")),
    "ceterms:AssociateDegree": (("AssociatesDegreeLevel", "LowerDivisionLevel"), (("P2Y", "two years"),), "Tuition",
                                (3200, 9800), "Program Requirements",
                                ("High school diploma or GED", "Placement testing or prior college coursework",
                                 "Completion of 60 semester credit hours")),
    "ceterms:MasterDegree": (("MastersDegreeLevel", "GraduateLevel"),
                             (("P2Y", "two years"), ("P18M", "eighteen months")),
                             "Tuition", (12000, 48000), "Admission Requirements",
                             ("Bachelor's degree from an accredited institution", "Two letters of recommendation",
                              "Statement of purpose")),
    "ceterms:DoctoralDegree": (("DoctoralDegreeLevel", "GraduateLevel"),
                               (("P3Y", "three years"), ("P4Y", "four years")),
                               "Tuition", (15000, 52000), "Admission Requirements",
                               ("Master's or bachelor's degree in a related field", "Professional resume",
                                "Interview with program faculty")),
    "ceterms:Certificate": (("PostSecondaryLevel",),
                            (("P6M", "six months"), ("P9M", "nine months"), ("P1Y", "one year")),
                            "Tuition", (1500, 9000), "Program Requirements",
                            ("High school diploma or GED",
                             "Completion of all required courses with a grade of C or better")),
    "ceterms:Diploma": (("PostSecondaryLevel",), (("P1Y", "one year"), ("P18M", "eighteen months")), "Tuition",
                        (4000, 16000), "Program Requirements",
                        ("High school diploma or GED", "Background check and drug screening")),
    "ceterms:Certification": (("ProfessionalLevel",), (), "StandaloneAssessment", (150, 575),
                              "Eligibility Requirements",
                              ("Completion of an approved training program or equivalent work experience",
                               "Passing score on the certification examination", "Agreement to the code of ethics")),
    "ceterms:License": (("ProfessionalLevel",), (), "Application", (50, 300), "Licensure Requirements",
                        ("Minimum age of 18", "Completion of an approved education program",
                         "Passing score on the licensing examination", "Criminal background check")),
    "ceterms:Badge": (("BeginnerLevel", "IntermediateLevel"), (("PT8H", "eight hours"), ("PT20H", "twenty hours")),
                      "LearningResource", (0, 250), "Earning Criteria",
                      ("Successful completion of the performance assessment",)),
    "ceterms:DigitalBadge": (("IntermediateLevel", "AdvancedLevel"), (("PT12H", "twelve hours"), ("P4W", "four weeks")),
                             "LearningResource", (0, 350), "Earning Criteria",
                             ("Successful completion of the performance assessment",)),
    "ceterms:OpenBadge": (("BeginnerLevel", "IntermediateLevel"), (("PT10H", "ten hours"), ("P3W", "three weeks")),
                          "LearningResource", (0, 300), "Earning Criteria",
                          ("Submission of evidence reviewed by a qualified assessor",)),
    "ceterms:MicroCredential": (("IntermediateLevel", "ProfessionalLevel"),
                                (("P6W", "six weeks"), ("P8W", "eight weeks")),
                                "Tuition", (200, 1500), "Completion Requirements",
                                ("Completion of all modules", "Passing score on the final project")),
    "ceterms:ApprenticeshipCertificate": (("PostSecondaryLevel",), (("P4Y", "four years"), ("P3Y", "three years"),
                                                                    ("P2Y", "two years")),
                                          "LearningResource", (0, 1500), "Apprenticeship Requirements",
                                          ("Minimum age of 18", "High school diploma or GED",
                                           "Passing score on the aptitude test",
                                           "Employment with a participating employer")),
    "ceterms:JourneymanCertificate": (("ProfessionalLevel",), (), "Application", (40, 150), "Eligibility Requirements",
                                      ("Completion of a registered apprenticeship",
                                       "Passing score on the journey-level examination")),
    "ceterms:CertificateOfCompletion": (("BeginnerLevel",), (("PT16H", "sixteen hours"), ("PT40H", "forty hours"),
                                                             ("P2W", "two weeks")),
                                        "Tuition", (150, 1200), "Completion Requirements",
                                        ("Attendance at all sessions", "Completion of the final skills check")),
}  # fmt: skip

_DEGREES = ("ceterms:BachelorDegree", "ceterms:AssociateDegree", "ceterms:MasterDegree", "ceterms:DoctoralDegree")
_ACADEMIC = _DEGREES + ("ceterms:Certificate", "ceterms:Diploma")
_BADGES = ("ceterms:Badge", "ceterms:DigitalBadge", "ceterms:OpenBadge", "ceterms:MicroCredential")


# --------------------------------------------------------------------------------------
# The generator
# --------------------------------------------------------------------------------------


class _Generator:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.orgs: list[_Org] = []
        self.by_kind: dict[str, list[_Org]] = {k: [] for k in _ORG_KINDS}
        self.by_kind_field: dict[tuple[str, str], list[_Org]] = {}
        self.regulators: dict[tuple[str, str], list[_Org]] = {}  # (state abbr, field key)
        self.inst_accreditors: list[_Org] = []
        self.prog_accreditors: dict[str, list[_Org]] = {}
        self.names: set[str] = set()
        self.org_deck: list[str] = list(_ORG_FIRST_DECK)
        self.res_deck: list[str] = []
        # what later documents may point to, by field key
        self.frameworks: dict[str, list[tuple[str, list[str]]]] = {}
        self.assessments: dict[str, list[tuple[str, str]]] = {}
        self.courses: dict[str, list[tuple[str, str]]] = {}
        self.programs: dict[str, list[tuple[str, str]]] = {}
        self.lops: dict[str, list[tuple[str, str]]] = {}
        self.credentials: dict[str, list[tuple[str, str, str]]] = {}

    # ---- dealing ---------------------------------------------------------------------

    def _next_org_kind(self) -> str:
        if not self.org_deck:
            deck = list(_ORG_FIRST_DECK)
            self.rng.shuffle(deck)
            self.org_deck = deck
        return self.org_deck.pop(0)

    def _next_type(self) -> str:
        if not self.res_deck:
            rng = self.rng
            ranks: dict[int, list[str]] = {}
            for rank, rtype, copies in _BLOCK_DECK:
                ranks.setdefault(rank, []).extend([rtype] * copies)
            deck: list[str] = []
            for rank in sorted(ranks):
                part = ranks[rank]
                rng.shuffle(part)
                deck.extend(part)
            creds = [t for t, copies in _CREDENTIAL_DECK for _ in range(copies)]
            rng.shuffle(creds)
            deck.extend(creds)
            deck.reverse()
            self.res_deck = deck
        return self.res_deck.pop()

    # ---- common pieces ----------------------------------------------------------------

    def _date(self, lo: int = 2008, hi: int = 2025) -> str:
        rng = self.rng
        return f"{rng.randint(lo, hi)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"

    def _place(self, org: _Org, contact: str | None = "Admissions", name: str | None = None) -> dict[str, Any]:
        st, city, zipcode = org.city[0], org.city[1], org.city[2]
        place: dict[str, Any] = {"@type": "ceterms:Place"}
        if name:
            place["ceterms:name"] = {LANG: name}
        place.update({
            "ceterms:streetAddress": {LANG: org.street},
            "ceterms:addressLocality": {LANG: city},
            "ceterms:addressRegion": {LANG: _STATES[st]},
            "ceterms:postalCode": zipcode,
            "ceterms:addressCountry": {LANG: "United States"},
            "ceterms:latitude": org.lat,
            "ceterms:longitude": org.lon,
        })  # fmt: skip
        if contact:
            place["ceterms:targetContactPoint"] = [{
                "@type": "ceterms:ContactPoint",
                "ceterms:contactType": {LANG: contact},
                "ceterms:telephone": [org.phone],
                "ceterms:email": [org.email],
            }]  # fmt: skip
        return place

    def _cost(self, org: _Org, cost_type: str, lo: int, hi: int, text: str) -> dict[str, Any]:
        rng = self.rng
        price = 0 if hi <= 0 else (rng.randrange(lo, hi + 1, 5) if hi - lo >= 5 else lo)
        return {
            "@type": "ceterms:CostProfile",
            "ceterms:name": {LANG: _SCHEMES["costType"][2][cost_type]},
            "ceterms:description": {LANG: text},
            "ceterms:costDetails": f"https://www.{org.domain}/tuition-and-fees",
            "ceterms:currency": "USD",
            "ceterms:price": price,
            "ceterms:directCostType": _concept("costType", cost_type),
        }

    def _credit(self, value: int, unit: str) -> dict[str, Any]:
        return {"@type": "ceterms:ValueProfile", "schema:value": value,
                "ceterms:creditUnitType": [_concept("creditUnit", unit)]}  # fmt: skip

    def _skill_pairs(self, field: dict, k: int) -> list[tuple[str, str]]:
        """(Title Case, in-sentence) forms of ``k`` of the field's skills."""
        idx = self.rng.sample(range(len(field["skills"])), min(k, len(field["skills"])))
        return [(field["skills"][i], field["skills_lc"][i]) for i in idx]

    def _competencies(self, field: dict, lo: int, hi: int) -> list[str]:
        pool = self.frameworks.get(field["key"])
        if not pool:
            return []
        _, comps = self.rng.choice(pool)
        k = min(len(comps), self.rng.randint(lo, hi))
        return self.rng.sample(comps, k)

    def _pick_from(self, pool: dict[str, list], field: dict, owner: _Org | None = None, k: int = 1,
                   same_owner_only: bool = False) -> list[str]:
        """Up to ``k`` IRIs from a pool, preferring the owner's own recent entries."""
        entries = pool.get(field["key"])
        if not entries:
            return []
        out: list[str] = []
        if owner is not None:
            for entry in reversed(entries[-60:]):
                if entry[1] == owner.iri and entry[0] not in out:
                    out.append(entry[0])
                    if len(out) >= k:
                        return out
        if same_owner_only:
            return out
        for _ in range(k - len(out)):
            iri = self.rng.choice(entries)[0]
            if iri not in out:
                out.append(iri)
        return out

    def _owner(self, rtype: str) -> tuple[dict, _Org]:
        """A field for a resource of this type and an earlier organization to own it."""
        rng = self.rng
        fields, cum = _FIELD_CHOICES[rtype]
        field = rng.choices(fields, cum_weights=cum)[0]
        kinds = _OWNER_KINDS[rtype]
        avail = [k for k in kinds if (k, field["key"]) in self.by_kind_field]
        if avail:
            kind = avail[0] if rng.random() < 0.6 else rng.choice(avail)
            return field, rng.choice(self.by_kind_field[(kind, field["key"])])
        for kind in kinds:
            orgs = self.by_kind[kind]
            if not orgs:
                continue
            org = rng.choice(orgs)
            own = [f for f in fields if f["key"] in org.fields]
            if own:
                return rng.choice(own), org
            if kind in ("university", "college", "training"):
                return field, org
        # Few organizations yet (small n): any provider will do.
        providers = [o for o in self.orgs if o.kind not in ("accreditor",)] or self.orgs
        return field, rng.choice(providers)

    def _base(self, rtype: str, field: dict, owner: _Org, name: str, description: str) -> tuple[str, str, dict]:
        c = ctid(self.rng)
        iri = resource_iri(c)
        node: dict[str, Any] = {
            "@id": iri,
            "@type": rtype,
            "ceterms:ctid": c,
            "ceterms:name": {LANG: name},
            "ceterms:description": {LANG: description},
            "ceterms:subjectWebpage": f"https://www.{owner.domain}/{_TYPE_SECTION[rtype]}/{_slug(name)}",
            "ceterms:inLanguage": [LANG],
            "ceterms:dateEffective": self._date(),
        }
        return c, iri, node

    @staticmethod
    def _doc(c: str, nodes: list[dict], context: str = CTDL_CONTEXT) -> dict[str, Any]:
        return {"@context": context, "@id": graph_iri(c), "@graph": nodes}

    def _keywords(self, field: dict, extra: tuple[str, ...] = ()) -> dict[str, Any]:
        rng = self.rng
        words = [field["name"]] + rng.sample(field["skills"], min(3, len(field["skills"]))) + list(extra)
        return {LANG: list(dict.fromkeys(words))}

    # ---- organizations ----------------------------------------------------------------

    def organization(self) -> dict[str, Any]:
        rng = self.rng
        kind = self._next_org_kind()
        cls, agent_types, sectors, own_naics = _ORG_KINDS[kind]
        fields, name, city, extra = self._org_identity(kind)
        c = ctid(rng)
        iri = resource_iri(c)
        domain = extra.get("domain") or self._domain(name, kind)
        org = _Org(
            iri=iri, ctid=c, name=name, kind=kind, fields=[f["key"] for f in fields], city=city,
            street=f"{rng.randrange(100, 9800, 4)} {rng.choice(_STREETS)}",
            lat=round(city[3] + rng.uniform(-0.04, 0.04), 4), lon=round(city[4] + rng.uniform(-0.04, 0.04), 4),
            domain=domain, phone=f"({city[5]}) 555-01{rng.randrange(100):02d}",
            email=("admissions@" if kind in ("university", "college") else "info@") + domain,
        )  # fmt: skip
        sector = rng.choice(sectors)
        types = list(extra.get("agent_types", agent_types))
        if kind == "training" and rng.random() < 0.35:
            types.append("PrimarilyOnline")
        node: dict[str, Any] = {
            "@id": iri,
            "@type": cls,
            "ceterms:ctid": c,
            "ceterms:name": {LANG: name},
            "ceterms:description": {LANG: self._org_description(org, fields, sector, extra)},
            "ceterms:subjectWebpage": f"https://www.{domain}/",
            "ceterms:agentType": [_concept("orgType", t) for t in types],
            "ceterms:agentSectorType": [_concept("agentSector", sector)],
            "ceterms:address": [self._place(org, "Main Office" if kind in ("regulator", "accreditor", "certbody")
                                            else "Admissions", name="Main Campus" if kind in ("university", "college")
                                            else None)],
            "ceterms:email": [org.email],
            "ceterms:foundingDate": str(rng.randint(1880 if kind == "university" else 1950, 2016)),
            "ceterms:image": f"https://www.{domain}/images/logo.png",
            "ceterms:socialMedia": [f"https://www.linkedin.com/company/{_slug(name)}"],
            "ceterms:naics": [own_naics[0]],
            "ceterms:industryType": [_naics(*own_naics)],
            "ceterms:keyword": {LANG: self._org_keywords(kind, fields)},
        }  # fmt: skip
        acronym = _acronym(name)
        if len(acronym) >= 3 and kind != "regulator":
            node["ceterms:alternateName"] = {LANG: [acronym]}
        services = {"regulator": ("RegulateService", "RenewService", "RevokeService"),
                    "accreditor": ("AccreditService",),
                    "certbody": ("OfferService", "RenewService")}.get(kind, ("OfferService",))  # fmt: skip
        node["ceterms:serviceType"] = [_concept("serviceType", s) for s in services]
        node["ceterms:agentPurposeDescription"] = {LANG: extra["purpose"]}
        if kind == "regulator":
            node["ceterms:jurisdiction"] = [_jurisdiction(org.state)]
        elif kind in ("accreditor", "certbody"):
            node["ceterms:jurisdiction"] = [_jurisdiction(None)]
        if kind in ("university", "college") and self.inst_accreditors:
            node["ceterms:accreditedBy"] = [rng.choice(self.inst_accreditors).iri]
        self._register_org(org, extra)
        return self._doc(c, [node])

    def _register_org(self, org: _Org, extra: dict) -> None:
        self.orgs.append(org)
        self.by_kind[org.kind].append(org)
        for key in org.fields:
            self.by_kind_field.setdefault((org.kind, key), []).append(org)
            if org.kind == "regulator":
                self.regulators.setdefault((org.city[0], key), []).append(org)
            if org.kind == "accreditor":
                self.prog_accreditors.setdefault(key, []).append(org)
        if org.kind == "accreditor" and not org.fields:
            self.inst_accreditors.append(org)
        self.names.add(org.name)

    def _unique(self, make) -> str:
        name = ""
        for _ in range(12):
            name = make()
            if name not in self.names:
                return name
        return name

    def _org_identity(self, kind: str) -> tuple[list[dict], str, tuple, dict]:
        rng = self.rng
        city = rng.choice(_CITIES)
        region = lambda: rng.choice(_REGIONS)  # noqa: E731
        extra: dict[str, Any] = {}
        if kind == "university":
            pool = [f for f in FIELDS if f["tagset"] & {"B", "M", "D"}]
            fields = rng.sample(pool, rng.randint(min(6, len(pool)), min(16, len(pool))))
            fields += rng.sample([f for f in FIELDS if f not in fields], rng.randint(0, 3))
            pats = ("{r} State University", "{r} University", "University of {r}", "{s} University", "{s} College",
                    "{r} College")  # fmt: skip
            name = self._unique(lambda: rng.choice(pats).format(r=region(), s=rng.choice(_SURNAMES)))
            extra["purpose"] = ("To provide accessible, high-quality undergraduate and graduate education that "
                                "prepares graduates for meaningful careers and engaged citizenship.")
        elif kind == "college":
            pool = [f for f in FIELDS if "A" in f["tagset"] or not (f["tagset"] & {"B", "M", "D"})]
            fields = rng.sample(pool, rng.randint(8, min(18, len(pool))))
            pats = ("{r} Community College", "{r} Technical College", "{r} State Community College",
                    "{c} Area Community College", "{r} College of Applied Technology", "{c} Technical Institute")
            name = self._unique(lambda: rng.choice(pats).format(r=region(), c=city[1]))
            extra["purpose"] = ("To provide affordable associate degrees, technical certificates, and workforce "
                                "training that meet the needs of students and regional employers.")
        elif kind == "training":
            pool = [f for f in FIELDS if f["key"] not in _ACADEMIC_ONLY]
            fields = rng.sample(pool, rng.randint(1, 3))
            f0 = fields[0]
            if len(fields) == 1 or rng.random() < 0.4:
                pats = ("{r} {p} Academy", "{r} School of {p}", "{r} {p} Institute", "{a}{b} {p} Academy")
            else:
                pats = ("{r} Career Institute", "{a}{b} Academy", "{r} Technical Academy", "{a}{b} Learning",
                        "{r} Workforce Training Center")
            name = self._unique(lambda: rng.choice(pats).format(
                r=region(), p=f0["prog"], a=rng.choice(_BRAND_A), b=rng.choice(_BRAND_B)))
            extra["purpose"] = "To help adults gain in-demand skills and start new careers quickly and affordably."
        elif kind == "certbody":
            fields_n, cum = _FIELD_CHOICES["ceterms:Certification"]
            f0 = rng.choices(fields_n, cum_weights=cum)[0]
            fields = [f0]
            occs = f0["occs_title"]
            pats = ("National {p} Certification Board", "American Association of {o}",
                    "National Institute for {p} Certification", "{p} Credentialing Council", "Society of {o}",
                    "National Board for {p} Professionals")
            name = self._unique(lambda: rng.choice(pats).format(p=f0["prog"], o=occs))
            extra["purpose"] = f"To advance the profession by certifying the competence of {f0['occs']}."
        elif kind == "apprentice":
            fields_p, cum = _FIELD_CHOICES["ceterms:ApprenticeshipCertificate"]
            f0 = rng.choices(fields_p, cum_weights=cum)[0]
            fields = [f0]
            trade = f0["trade"] or f0["occ_title"]
            if trade in _UNION_TRADES:
                pats = ("{r} {t} Joint Apprenticeship Training Committee", "{t} Local {n} Training Center",
                        "{r} {t} Apprenticeship and Training Trust")
                extra["agent_types"] = ("TrainingProvider", "LaborUnion")
            else:
                pats = ("{r} {t} Apprenticeship Consortium", "{s} {t} Apprenticeship Partnership")
                extra["agent_types"] = ("TrainingProvider", "Collaborative")
            name = self._unique(lambda: rng.choice(pats).format(
                r=region(), t=trade, n=rng.randrange(12, 999), s=_STATES[city[0]]))
            extra["purpose"] = f"To train the next generation of skilled {f0['occs']} through apprenticeship."
        elif kind == "regulator":
            lfields = [f for f in FIELDS if "L" in f["tagset"]]
            name, fields = "", []
            for _ in range(12):
                st = rng.choice(list(_CAPITALS))
                city = _CAPITALS[st]
                f0 = rng.choice(lfields)
                if f0["board"] and rng.random() < 0.85:
                    board = f0["board"]
                    fields = [f for f in lfields if f["board"] == board]
                else:
                    board = rng.choice(_GENERAL_BOARDS)
                    fields = rng.sample(lfields, len(lfields) // 2)
                name = f"{_STATES[st]} {board}"
                if name not in self.names:
                    break
            words = [w for w in re.findall(r"[a-z]+", board.lower()) if w not in _REG_DROP][:3]
            extra["domain"] = f"{''.join(words)}.{_STATES[city[0]].lower().replace(' ', '')}.gov"
            extra["board"] = board
            extra["purpose"] = ("To protect the public by licensing qualified practitioners and enforcing "
                                "standards of practice.")
        else:  # accreditor
            if rng.random() < 0.6 or not self.inst_accreditors:
                fields = []
                pats = ("{g} Commission on Colleges and Schools", "{g} Association of Colleges and Schools",
                        "{g} Accrediting Commission for Career Schools", "{g} Higher Learning Commission")
                name = self._unique(lambda: rng.choice(pats).format(g=rng.choice(_ACCREDITING_REGIONS)))
            else:
                cands = [f for f in FIELDS if f["tagset"] & {"A", "B"}]
                f0 = rng.choice(cands)
                fields = [f0]
                pats = ("Council on Accreditation of {p} Programs", "Accreditation Commission for {p} Education",
                        "Joint Review Committee on Education in {p}")
                name = self._unique(lambda: rng.choice(pats).format(p=f0["prog"]))
            extra["purpose"] = ("To assure and improve the quality of education through peer review against "
                                "published standards.")
        if name in self.names:  # every attempt collided (very large n): tell them apart by place
            name = f"{name}, {city[1]}"
        return fields, name, city, extra

    @staticmethod
    def _domain(name: str, kind: str) -> str:
        words = re.findall(r"[a-z0-9]+", name.lower())
        kept = [w for w in words if w not in _DOMAIN_DROP] or words
        tld = {"university": "edu", "college": "edu", "training": "com"}.get(kind, "org")
        return "".join(kept[:3]) + "." + tld

    def _org_description(self, org: _Org, fields: list[dict], sector: str, extra: dict) -> str:
        rng = self.rng
        names = [f["lname"] for f in rng.sample(fields, min(3, len(fields)))]
        city, state = org.city[1], org.state
        kind, who = org.kind, _first_upper(org.the_name)
        if kind == "university":
            control = "public" if sector == "Public" else "private, nonprofit"
            noun = "university" if "University" in org.name else "four-year college"
            return (f"{who} is a {control} {noun} in {city}, {state}, enrolling about "
                    f"{rng.randrange(4000, 38000, 100):,} students. It offers more than {rng.randrange(40, 200, 5)} "
                    f"undergraduate and graduate programs, with particular strengths in {_and(names)}.")
        if kind == "college":
            return (f"{who} is a public two-year college serving {city} and the surrounding region of {state}. "
                    f"The college offers associate degrees, technical certificates, and short-term workforce training "
                    f"in fields such as {_and(names)}.")
        if kind == "training":
            return (f"{who} is a private training provider in {city}, {state}, offering short-term, "
                    f"career-focused programs in {_and(names)}. Classes combine online theory with hands-on "
                    f"practice, and most programs can be completed in under a year.")
        if kind == "certbody":
            return (f"{who} is a nonprofit professional association that develops and administers national "
                    f"certification programs for {fields[0]['occs']}. Its credentials are recognized by employers "
                    f"across the United States and are maintained through continuing education.")
        if kind == "apprentice":
            return (f"{who} sponsors registered apprenticeship programs for {fields[0]['occs']} in {state}. "
                    f"Apprentices earn wages while completing on-the-job training with participating employers "
                    f"and related classroom instruction.")
        if kind == "regulator":
            occs = _and([f["occs"] for f in fields[:3]])
            if len(fields) > 3:
                occs += " and other licensed occupations"
            return (f"{who} licenses and regulates {occs} in {state}. It sets education and examination "
                    f"requirements, issues and renews licenses, and investigates complaints from the public.")
        if fields:
            return (f"{who} is a programmatic accrediting agency for {fields[0]['lname']} education. "
                    f"Accreditation signals that a program meets published standards for curriculum, faculty, "
                    f"and student outcomes.")
        return (f"{who} is a recognized institutional accrediting agency that evaluates the quality of colleges, "
                f"universities, and career schools through self-study and peer review.")

    def _org_keywords(self, kind: str, fields: list[dict]) -> list[str]:
        base = {"university": ["Higher Education", "Undergraduate Programs", "Graduate Programs"],
                "college": ["Community College", "Workforce Training", "Associate Degrees"],
                "training": ["Career Training", "Short-Term Training"],
                "certbody": ["Professional Certification", "Continuing Education"],
                "apprentice": ["Registered Apprenticeship", "Earn and Learn"],
                "regulator": ["Occupational Licensing", "Consumer Protection"],
                "accreditor": ["Accreditation", "Quality Assurance"]}[kind]  # fmt: skip
        return base + [f["name"] for f in fields[:4]]

    # ---- resources --------------------------------------------------------------------

    def resource(self) -> dict[str, Any]:
        rtype = self._next_type()
        if rtype == "ceasn:CompetencyFramework":
            return self.framework()
        if rtype == "ceterms:AssessmentProfile":
            return self.assessment()
        if rtype in ("ceterms:Course", "ceterms:LearningProgram", "ceterms:LearningOpportunityProfile"):
            return self.learning_opportunity(rtype)
        return self.credential(rtype)

    def framework(self) -> dict[str, Any]:
        rng = self.rng
        field, owner = self._owner("ceasn:CompetencyFramework")
        occs = field["occs"]
        pats = ("{n} Competency Framework", "Core Competencies for {O}", "Entry-Level {o} Competencies",
                "{n} Skills Standards", "{n} Competency Model")
        name = rng.choice(pats).format(n=field["name"], O=field["occs_title"], o=field["occ_title"])
        c = ctid(rng)
        iri = resource_iri(c)
        created = self._date(2012, 2024)
        domains = list(_DOMAINS[: rng.choice((2, 3, 3))])
        comps = list(field["comps"])
        # The field's competencies go below the domains: most under the first.
        split = [comps[: len(comps) - len(domains) + 1]] + [[x] for x in comps[len(comps) - len(domains) + 1:]]
        tops: list[dict] = []
        nodes: list[dict] = []
        children_iris: list[str] = []
        for i, ((label, text), members) in enumerate(zip(domains, split), start=1):
            tc = ctid(rng)
            top = {
                "@id": resource_iri(tc),
                "@type": "ceasn:Competency",
                "ceterms:ctid": tc,
                "ceasn:competencyLabel": {LANG: label},
                "ceasn:competencyText": {LANG: text.format(occs=occs)},
                "ceasn:isPartOf": iri,
                "ceasn:isTopChildOf": iri,
                "ceasn:inLanguage": [LANG],
                "ceasn:codedNotation": str(i),
                "ceasn:hasChild": [],
            }
            tops.append(top)
            nodes.append(top)
            for j, (clabel, ctext) in enumerate(members, start=1):
                cc = ctid(rng)
                child = {
                    "@id": resource_iri(cc),
                    "@type": "ceasn:Competency",
                    "ceterms:ctid": cc,
                    "ceasn:competencyLabel": {LANG: clabel},
                    "ceasn:competencyText": {LANG: ctext},
                    "ceasn:isPartOf": iri,
                    "ceasn:isChildOf": top["@id"],
                    "ceasn:inLanguage": [LANG],
                    "ceasn:codedNotation": f"{i}.{j}",
                    "ceasn:conceptKeyword": {LANG: [clabel]},
                }
                top["ceasn:hasChild"].append(child["@id"])
                children_iris.append(child["@id"])
                nodes.append(child)
        fw = {
            "@id": iri,
            "@type": "ceasn:CompetencyFramework",
            "ceterms:ctid": c,
            "ceasn:name": {LANG: name},
            "ceasn:description": {LANG: (
                f"This framework describes the knowledge and skills expected of entry-level {occs}. It was developed "
                f"by {owner.the_name} with employers and educators and is used to align curriculum, assessments, and "
                f"credentials in {field['lname']}.")},
            "ceasn:inLanguage": [LANG],
            "ceasn:publisher": [owner.iri],
            "ceasn:publisherName": {LANG: [owner.name]},
            "ceasn:creator": [owner.iri],
            "ceasn:dateCreated": created,
            "ceasn:conceptKeyword": {LANG: [field["name"]] + [lbl for lbl, _ in comps[:3]]},
            "ceasn:publicationStatusType": "publicationStatus:Published",
            "ceasn:license": _CC_BY,
            "ceasn:source": f"https://www.{owner.domain}/competencies/{_slug(name)}",
            "ceasn:hasTopChild": [t["@id"] for t in tops],
        }
        self.frameworks.setdefault(field["key"], []).append((iri, children_iris))
        return self._doc(c, [fw] + nodes, CTDLASN_CONTEXT)

    def assessment(self) -> dict[str, Any]:
        rng = self.rng
        rtype = "ceterms:AssessmentProfile"
        field, owner = self._owner(rtype)
        pairs = self._skill_pairs(field, 3)
        skills = [lc for _, lc in pairs]
        if owner.kind == "certbody" and field["certs"]:
            name = rng.choice(field["certs"])[0] + " Examination"
        elif owner.kind == "regulator" and field["lics"]:
            name = f"{owner.state} {rng.choice(field['lics'])} Examination"
        else:
            name = rng.choice(("{p} Skills Assessment", "{s} Performance Assessment", "{p} Competency Exam",
                               "{p} Final Practical Exam")).format(p=field["prog"], s=pairs[0][0])
        questions = rng.randrange(60, 180, 10)
        performance = rng.random() < 0.5
        desc = (f"The {name} measures a candidate's knowledge of {_and(skills)}. It consists of {questions} "
                f"multiple-choice questions" + (" and a hands-on performance component" if performance else "")
                + ", delivered at proctored testing centers and online.")
        c, iri, node = self._base(rtype, field, owner, name, desc)
        methods = ["Exam"] + (["Performance"] if performance else [])
        online = rng.random() < 0.5
        node.update({
            "ceterms:ownedBy": [owner.iri],
            "ceterms:offeredBy": [owner.iri],
            "ceterms:lifeCycleStatusType": _concept("lifeCycle", "Active"),
            "ceterms:assessmentMethodType": [_concept("assessMethod", m) for m in methods],
            "ceterms:assessmentMethodDescription": {LANG: f"{questions} multiple-choice questions"
                                                    + (" and a practical skills demonstration" if performance else "")
                                                    + "; a scaled score of 70 or higher is required to pass."},
            "ceterms:deliveryType": [_concept("deliveryType", "BlendedDelivery" if online else "InPerson")],
            "ceterms:audienceLevelType": [_concept("audLevel", rng.choice(("PostSecondaryLevel",
                                                                            "ProfessionalLevel")))],
            "ceterms:keyword": self._keywords(field, ("Exam",)),
            "ceterms:estimatedDuration": [_duration(rng.choice(("PT2H", "PT3H", "PT4H")))],
            "ceterms:estimatedCost": [self._cost(owner, "StandaloneAssessment", 75, 450,
                                                 "Examination fee, payable at registration.")],
            "ceterms:occupationType": [_soc(*s) for s in field["soc"]],
            "ceterms:industryType": [_naics(*field["naics"])],
            "ceterms:availableAt": [self._place(owner, "Testing Services", name="Testing Center")],
        })  # fmt: skip
        if online:
            node["ceterms:availableOnlineAt"] = [node["ceterms:subjectWebpage"]]
        comps = self._competencies(field, 2, 5)
        if comps:
            node["ceterms:assesses"] = comps
        self.assessments.setdefault(field["key"], []).append((iri, owner.iri))
        return self._doc(c, [node])

    def learning_opportunity(self, rtype: str) -> dict[str, Any]:
        rng = self.rng
        field, owner = self._owner(rtype)
        pairs = self._skill_pairs(field, 3)
        skills = [lc for _, lc in pairs]
        occs, practice = field["occs"], field["practice"]
        level = "PostSecondaryLevel"
        requires: dict[str, Any] | None = None
        has_part: list[str] = []
        extra: dict[str, Any] = {}
        if rtype == "ceterms:Course":
            prefix, titles = field["courses"]
            name = rng.choice(titles)
            number = rng.randrange(100, 300)
            credits = rng.choice((2, 3, 3, 4))
            desc = (f"{name} ({prefix} {number}) is a {credits}-credit course for students preparing to work as "
                    f"{occs}. Topics include {_and(skills)}, with hands-on practice through {practice}.")
            duration = [_duration(rng.choice(("P16W", "P8W", "P10W")), None)]
            cost = [self._cost(owner, "Tuition", credits * 90, credits * 480, f"Tuition for {credits} credit hours.")]
            credit = [self._credit(credits, "SemesterHour")]
            level = "LowerDivisionLevel" if number < 200 else "UpperDivisionLevel"
            extra["ceterms:codedNotation"] = f"{prefix} {number}"
            prior = self._pick_from(self.courses, field, owner, 1, same_owner_only=True)
            if prior:
                requires = {"@type": "ceterms:ConditionProfile", "ceterms:name": {LANG: "Prerequisites"},
                            "ceterms:description": {LANG: "Completion of the prerequisite course with a grade of C or "
                                                          "better, or permission of the instructor."},
                            "ceterms:targetLearningOpportunity": prior}  # fmt: skip
            methods = ("Lecture", "Laboratory")
        elif rtype == "ceterms:LearningProgram":
            academic = ("BSN", "Doctor", "Bachelor", "MBA", "Master", "Mechanical Engineering Program")
            names = [x for x in field["programs"] if (owner.kind == "university") == any(a in x for a in academic)]
            name = rng.choice(names or [f"{field['prog']} Program"])
            if owner.kind == "apprentice" and "Apprentice" not in name:
                name = f"{field['prog']} Apprenticeship Program"
            months = rng.choice((4, 6, 9, 12, 18, 24))
            if field["key"] == "cdl":
                months = rng.choice((1, 2))
            desc = (f"The {name} at {owner.the_name} trains students for entry-level work as {occs} in "
                    f"{field['where']}. The program covers {_and(skills)} and includes {practice}.")
            if field["certs"] and rng.random() < 0.6:
                desc += f" Graduates are prepared for the {field['certs'][0][0]} ({field['certs'][0][1]}) examination."
            duration = [_duration(f"P{months}M" if months % 12 else f"P{months // 12}Y")]
            cost = [self._cost(owner, "Tuition", 2500, 20000 if months > 2 else 8000,
                               "Estimated tuition and fees for the full program."),
                    self._cost(owner, rng.choice(("Equipment", "LearningResource")), 100, 1500,
                               "Books, uniforms, tools, and supplies.")]
            hours = months * rng.choice((60, 80, 100))
            credit = [self._credit(hours, "ClockHour")]
            has_part = self._pick_from(self.courses, field, owner, rng.randint(2, 5), same_owner_only=True)
            requires = {"@type": "ceterms:ConditionProfile", "ceterms:name": {LANG: "Admission Requirements"},
                        "ceterms:description": {LANG: "Applicants must meet the program's admission requirements "
                                                      "before enrolling."},
                        "ceterms:condition": {LANG: ["High school diploma or GED", "Minimum age of 18",
                                                     "Attendance at a program information session"]}}  # fmt: skip
            methods = ("Applied", "Lecture", "WorkBased") if owner.kind == "apprentice" else ("Applied", "Lecture")
            extra["ceterms:financialAssistance"] = [{
                "@type": "ceterms:FinancialAssistanceProfile",
                "ceterms:name": {LANG: "Financial Aid and Workforce Funding"},
                "ceterms:financialAssistanceType": [
                    _concept("financialAid", "WIOA"),
                    _concept("financialAid", rng.choice(("PellGrant", "Post911GIBill"))),
                ],
            }]  # fmt: skip
            regs = self.regulators.get((owner.city[0], field["key"]))
            if regs:
                extra["ceterms:approvedBy"] = [rng.choice(regs).iri]
            accs = self.prog_accreditors.get(field["key"])
            if accs:
                extra["ceterms:accreditedBy"] = [rng.choice(accs).iri]
        else:  # LearningOpportunityProfile
            skill = pairs[0][0]
            fmt = rng.choice(("{s} Workshop", "{s} Continuing Education Seminar", "{p} Boot Camp",
                              "{s} Refresher Course", "Introduction to {s}"))
            name = fmt.format(s=skill, p=field["prog"])
            hours = rng.choice((6, 8, 16, 24, 40))
            desc = (f"{_article(str(hours)).title()} {hours}-hour {'boot camp' if 'Boot Camp' in name else 'training'} "
                    f"on {skills[0]} for current "
                    f"and aspiring {occs}. Participants practice {_and(skills[1:3])} and earn "
                    f"{hours / 10:.1f} continuing education units.")
            duration = [_duration(f"PT{hours}H")]
            cost = [self._cost(owner, "Tuition", 95, 2500, "Registration fee, including course materials.")]
            credit = [self._credit(max(1, hours // 10), "ContinuingEducationUnit")]
            methods = ("Seminar", "Applied") if hours < 20 else ("CohortBased", "Applied")
            level = rng.choice(("BeginnerLevel", "IntermediateLevel", "ProfessionalLevel"))
        c, iri, node = self._base(rtype, field, owner, name, desc)
        online = rng.random() < 0.3
        node.update({
            "ceterms:ownedBy": [owner.iri],
            "ceterms:offeredBy": [owner.iri],
            "ceterms:lifeCycleStatusType": _concept("lifeCycle", "Active"),
            "ceterms:deliveryType": [_concept("deliveryType", "BlendedDelivery" if online else "InPerson")],
            "ceterms:learningMethodType": [_concept("learnMethod", m) for m in methods],
            "ceterms:audienceLevelType": [_concept("audLevel", level)],
            "ceterms:keyword": self._keywords(field),
            "ceterms:estimatedDuration": duration,
            "ceterms:estimatedCost": cost,
            "ceterms:creditValue": credit,
            "ceterms:instructionalProgramType": [_cip(*field["cip"])],
            "ceterms:availableAt": [self._place(owner)],
        })  # fmt: skip
        node.update(extra)
        if online:
            node["ceterms:availableOnlineAt"] = [node["ceterms:subjectWebpage"]]
        if rtype != "ceterms:Course":
            node["ceterms:occupationType"] = [_soc(*s) for s in field["soc"]]
            node["ceterms:industryType"] = [_naics(*field["naics"])]
        if has_part:
            node["ceterms:hasPart"] = has_part
        comps = self._competencies(field, 2, 4)
        if comps:
            node["ceterms:teaches"] = comps
        if requires:
            node["ceterms:requires"] = [requires]
        pool = {"ceterms:Course": self.courses, "ceterms:LearningProgram": self.programs}.get(rtype, self.lops)
        pool.setdefault(field["key"], []).append((iri, owner.iri))
        return self._doc(c, [node])

    # ---- credentials ------------------------------------------------------------------

    def credential(self, rtype: str) -> dict[str, Any]:
        rng = self.rng
        field, owner = self._owner(rtype)
        levels, durations, cost_type, (lo, hi), cond_name, conditions = _CRED_PROFILE[rtype]
        duration = rng.choice(durations) if durations else None
        pairs = self._skill_pairs(field, 3)
        name, abbr = self._credential_name(rtype, field, owner, pairs[0][0])
        desc = self._credential_description(rtype, field, owner, name, abbr, duration, [lc for _, lc in pairs])
        c, iri, node = self._base(rtype, field, owner, name, desc)
        node["ceterms:credentialStatusType"] = _concept("credentialStat", "Active")
        node["ceterms:ownedBy"] = [owner.iri]
        examined = rtype in ("ceterms:Certification", "ceterms:License", "ceterms:JourneymanCertificate")
        if not examined or rng.random() < 0.3:
            offered = [owner.iri]
            if rtype == "ceterms:ApprenticeshipCertificate":
                colleges = self.by_kind_field.get(("college", field["key"]))
                if colleges:
                    offered.append(rng.choice(colleges).iri)
            node["ceterms:offeredBy"] = offered
        if abbr:
            node["ceterms:alternateName"] = {LANG: [abbr]}
        if rtype in _ACADEMIC and owner.kind in ("university", "college"):
            accs = self.prog_accreditors.get(field["key"]) or self.inst_accreditors
            if accs:
                node["ceterms:accreditedBy"] = [rng.choice(accs).iri]
            regs = self.regulators.get((owner.city[0], field["key"]))
            if regs and "L" in field["tagset"]:
                node["ceterms:approvedBy"] = [rng.choice(regs).iri]
        node["ceterms:keyword"] = self._keywords(field, (abbr,) if abbr else ())
        node["ceterms:audienceLevelType"] = [_concept("audLevel", lv) for lv in levels]
        if not examined:
            online = rtype in _BADGES or rng.random() < 0.2
            node["ceterms:learningDeliveryType"] = [_concept("deliveryType", "OnlineOnly" if rtype in _BADGES else
                                                             ("BlendedDelivery" if online else "InPerson"))]
        if duration:
            node["ceterms:estimatedDuration"] = [_duration(duration[0], f"Typically completed in {duration[1]}.")]
        node["ceterms:estimatedCost"] = self._credential_costs(rtype, owner, cost_type, lo, hi)
        node["ceterms:requires"] = [self._credential_condition(rtype, field, owner, cond_name, conditions)]
        node["ceterms:occupationType"] = [_soc(*s) for s in field["soc"]]
        node["ceterms:industryType"] = [_naics(*field["naics"])]
        node["ceterms:naics"] = [field["naics"][0]]
        if rtype in _ACADEMIC or rtype in ("ceterms:ApprenticeshipCertificate", "ceterms:CertificateOfCompletion"):
            node["ceterms:instructionalProgramType"] = [_cip(*field["cip"])]
        licensed = rtype in ("ceterms:License", "ceterms:JourneymanCertificate")
        node["ceterms:jurisdiction"] = [_jurisdiction(owner.state if licensed else None)]
        if rtype in _BADGES or rtype == "ceterms:Certification":
            node["ceterms:availableOnlineAt"] = [node["ceterms:subjectWebpage"]]
        if rtype not in _BADGES:
            node["ceterms:availableAt"] = [self._place(owner, "Licensing" if licensed else "Admissions")]
        if rtype in _DEGREES:
            node["ceterms:financialAssistance"] = [{
                "@type": "ceterms:FinancialAssistanceProfile",
                "ceterms:name": {LANG: "Federal and Institutional Aid"},
                "ceterms:financialAssistanceType": [_concept("financialAid", a) for a in
                                                    ("PellGrant", "FederalSubsidizedLoan", "InstitutionalScholarship")],
            }]  # fmt: skip
        if rtype in ("ceterms:Certification", "ceterms:License"):
            prep = self._pick_from(self.programs, field, None, 1) + self._pick_from(self.lops, field, None, 1)
            if prep:
                node["ceterms:preparationFrom"] = prep
        self.credentials.setdefault(field["key"], []).append((iri, rtype, owner.iri))
        return self._doc(c, [node])

    def _credential_name(self, rtype: str, field: dict, owner: _Org, skill: str) -> tuple[str, str | None]:
        rng = self.rng
        prog, occ = field["prog"], field["occ_title"]
        if rtype == "ceterms:BachelorDegree":
            return field["bach"], None
        if rtype == "ceterms:AssociateDegree":
            return field["assoc"], None
        if rtype == "ceterms:MasterDegree":
            return field["mast"], None
        if rtype == "ceterms:DoctoralDegree":
            return field["doct"], None
        if rtype == "ceterms:Certificate":
            if owner.kind == "university":
                pats = ("Graduate Certificate in {subj}", "Undergraduate Certificate in {skill}",
                        "Post-Baccalaureate Certificate in {subj}")
            else:
                pats = ("{prog} Certificate", "Certificate in {prog}", "{skill} Certificate",
                        "Technical Certificate in {prog}", "Advanced {skill} Certificate")
            return rng.choice(pats).format(subj=field["subj"], skill=skill, prog=prog), None
        if rtype == "ceterms:Certification":
            cert, abbr = rng.choice(field["certs"]) if field["certs"] else (f"Certified {occ}", None)
            return cert, abbr
        if rtype == "ceterms:License":
            lic = rng.choice(field["lics"]) if field["lics"] else f"{occ} License"
            return f"{owner.state} {lic}", None
        if rtype == "ceterms:Badge":
            return f"{skill} {rng.choice(('Essentials', 'Fundamentals', 'Foundations'))} Badge", None
        if rtype == "ceterms:DigitalBadge":
            return f"{skill} {rng.choice(('Practitioner', 'Specialist', 'Professional'))}", None
        if rtype == "ceterms:OpenBadge":
            return f"{skill}: {rng.choice(('Level 1', 'Level 2', 'Advanced'))}", None
        if rtype == "ceterms:MicroCredential":
            return rng.choice(("{s} Micro-Credential", "Micro-Credential in {s}")).format(s=skill), None
        if rtype == "ceterms:Diploma":
            return rng.choice(("{p} Diploma", "Diploma in {p}")).format(p=prog), None
        if rtype == "ceterms:ApprenticeshipCertificate":
            return rng.choice(("{o} Registered Apprenticeship", "Certificate of Completion of Apprenticeship: {o}",
                               "{o} Apprenticeship Certificate")).format(o=occ), None
        if rtype == "ceterms:JourneymanCertificate":
            return rng.choice(("Journeyman {o} Certificate", "Journey-Level {o} Card")).format(o=occ), None
        # CertificateOfCompletion
        return f"{skill} Training Certificate of Completion", None

    def _credential_description(self, rtype: str, field: dict, owner: _Org, name: str, abbr: str | None,
                                duration: tuple[str, str] | None, s: list[str]) -> str:
        rng = self.rng
        occs, where, practice = field["occs"], field["where"], field["practice"]
        exam = None
        if field["lics"]:
            exam = f"{field['lics'][0]} examination"
        elif field["certs"]:
            exam = f"{field['certs'][0][0]} ({field['certs'][0][1]}) examination"
        if rtype in _DEGREES:
            first = rng.choice((
                f"The {name} at {owner.the_name} prepares students for careers as {occs} in {where}.",
                f"{_first_upper(owner.the_name)}'s {name} gives students the knowledge and hands-on experience "
                f"to work as {occs}.",
                f"The {name} prepares graduates for professional roles as {occs} in {where}.",
            ))
            second = rng.choice((
                f"Coursework covers {_and(s)}, and students complete {practice}.",
                f"Students build skills in {_and(s[:2])} through classroom instruction and {practice}.",
            ))
            third = {
                "ceterms:AssociateDegree": "Credits transfer to bachelor's degree programs at partner universities.",
                "ceterms:MasterDegree": "Courses are offered in the evening and online for working professionals.",
                "ceterms:DoctoralDegree": "The program culminates in a doctoral project or dissertation.",
            }.get(rtype, "")
            if exam and rtype in ("ceterms:BachelorDegree", "ceterms:AssociateDegree") and rng.random() < 0.7:
                third = f"Graduates are prepared to sit for the {exam}."
            return " ".join(x for x in (first, second, third) if x)
        if rtype in ("ceterms:Certificate", "ceterms:Diploma"):
            words = duration[1] if duration else "one year"
            return (f"The {name} provides focused training in {_and(s[:2])} for entry-level work as {occs}. "
                    f"Students learn {_and(s)} through {practice}, and most finish in {words}.")
        if rtype == "ceterms:Certification":
            label = f"{name} ({abbr})" if abbr else name
            return (f"The {label} certification validates the knowledge and skills of {occs} in {_and(s)}. "
                    f"Candidates must pass a proctored examination and document at least "
                    f"{rng.choice((1000, 2000, 3000, 4000)):,} hours of related work experience. "
                    f"Certification is renewed every {rng.choice(('two', 'three', 'five'))} years through continuing "
                    f"education.")
        if rtype == "ceterms:License":
            return (f"The {name} authorizes holders to work as {occs} in {owner.state}. Applicants must complete an "
                    f"approved education program, pass the state licensing examination, and submit to a criminal "
                    f"background check. Licenses are renewed every two years.")
        if rtype in _BADGES:
            kind = {"ceterms:MicroCredential": "micro-credential"}.get(rtype, "badge")
            return (f"Earners of this {kind} have demonstrated {_and(s[:2])} through a performance-based assessment. "
                    f"It is issued by {owner.the_name} as a verifiable digital credential that can be shared on "
                    f"resumes and professional networks.")
        if rtype == "ceterms:ApprenticeshipCertificate":
            return (f"This registered apprenticeship combines {rng.choice((2000, 4000, 6000, 8000)):,} hours of paid "
                    f"on-the-job training with {rng.choice((144, 216, 576, 720))} hours of related technical "
                    f"instruction. Apprentices learn {_and(s)} under the supervision of experienced {occs}.")
        if rtype == "ceterms:JourneymanCertificate":
            return (f"The {name} recognizes workers who have completed a registered apprenticeship and demonstrated "
                    f"journey-level competence as {occs}. Holders may work without direct supervision and may "
                    f"supervise apprentices.")
        number, unit = (duration[1] if duration else "sixteen hours").split()
        return (f"Participants who complete this {number}-{unit.rstrip('s')} training in {s[0]} receive a certificate "
                f"of completion from "
                f"{owner.the_name}. The training is designed for current and aspiring {occs}.")

    def _credential_costs(self, rtype: str, owner: _Org, cost_type: str, lo: int, hi: int) -> list[dict]:
        texts = {
            "Tuition": "Estimated tuition for the full program; fees and books are additional.",
            "StandaloneAssessment": "Examination fee for first-time candidates.",
            "Application": "Non-refundable application and initial licensing fee.",
            "LearningResource": "Cost of required learning materials.",
        }
        if rtype in ("ceterms:BachelorDegree", "ceterms:MasterDegree", "ceterms:DoctoralDegree",
                     "ceterms:AssociateDegree"):
            texts["Tuition"] = "Annual tuition for full-time students."
        costs = [self._cost(owner, cost_type, lo, hi, texts[cost_type])]
        if rtype in ("ceterms:Certification", "ceterms:License"):
            costs.append(self._cost(owner, "RenewalFee", 50, 250, "Renewal fee, due each renewal period."))
        elif rtype in _DEGREES:
            costs.append(self._cost(owner, "TechnologyFee", 100, 600, "Technology and student services fees per year."))
        return costs

    def _credential_condition(self, rtype: str, field: dict, owner: _Org, cond_name: str,
                              conditions: tuple[str, ...]) -> dict[str, Any]:
        rng = self.rng
        cond: dict[str, Any] = {
            "@type": "ceterms:ConditionProfile",
            "ceterms:name": {LANG: cond_name},
            "ceterms:description": {LANG: f"To earn this credential, candidates must meet the following "
                                          f"{cond_name.lower()}."},
            "ceterms:condition": {LANG: list(conditions)},
        }
        if rtype in _ACADEMIC or rtype in ("ceterms:ApprenticeshipCertificate", "ceterms:CertificateOfCompletion"):
            lo = self._pick_from(self.programs, field, owner, 1)
            if not lo or rng.random() < 0.5:
                lo += [x for x in self._pick_from(self.courses, field, owner, 2) if x not in lo]
            if lo:
                cond["ceterms:targetLearningOpportunity"] = lo
        if rtype in ("ceterms:Certification", "ceterms:License", "ceterms:JourneymanCertificate") or \
                (rtype in _BADGES and rng.random() < 0.6):
            assessments = self._pick_from(self.assessments, field, owner, 1)
            if assessments:
                cond["ceterms:targetAssessment"] = assessments
        wanted = {
            "ceterms:MasterDegree": ("ceterms:BachelorDegree",),
            "ceterms:DoctoralDegree": ("ceterms:MasterDegree", "ceterms:BachelorDegree"),
            "ceterms:License": _ACADEMIC + ("ceterms:ApprenticeshipCertificate",),
            "ceterms:JourneymanCertificate": ("ceterms:ApprenticeshipCertificate",),
            "ceterms:Certification": ("ceterms:Certificate", "ceterms:AssociateDegree", "ceterms:Diploma"),
        }.get(rtype)
        if wanted:
            found = [e[0] for e in reversed(self.credentials.get(field["key"], [])[-80:]) if e[1] in wanted][:2]
            if found:
                cond["ceterms:targetCredential"] = found[:1] if rtype != "ceterms:License" else found
        if rng.random() < 0.75:
            comps = self._competencies(field, 2, 4)
            if comps:
                cond["ceterms:targetCompetency"] = comps
        return cond
