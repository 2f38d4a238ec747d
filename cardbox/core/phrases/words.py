"""The words: vocabulary, spelled-out numbers, multi-word phrases and holiday names."""

from __future__ import annotations

import re

# --------------------------------------------------------------------------
# Vocabulary

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)
_WDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_SHORT_WD = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_FULL_WD = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_SHORT_MON = tuple(month.capitalize() for month in _MONTHS)

_WORDS: dict[str, str] = {}


def _alias(canon: str, *words: str) -> None:
    for weekday in words:
        _WORDS[weekday] = canon
    _WORDS[canon] = canon


for _i, _m in enumerate(_MONTHS):
    _alias(_m, _MONTH_NAMES[_i].lower())
_alias("sep", "sept")
_alias("feb", "febr")
_alias("mon", "monday", "mondays")
_alias("tue", "tuesday", "tuesdays", "tues")
_alias("wed", "wednesday", "wednesdays", "weds")
_alias("thu", "thursday", "thursdays", "thur", "thurs", "thr")
_alias("fri", "friday", "fridays")
_alias("sat", "saturday", "saturdays")
_alias("sun", "sunday", "sundays")
_alias("today", "tday", "tdy", "asap")
_alias("tomorrow", "tmrw", "tmr", "tmrow", "tomorow", "tommorow", "tommorrow", "tomoro", "2moro")
_alias("yesterday")
_alias("day", "days")
_alias("week", "weeks", "wk", "wks")
_alias("fortnight", "fortnights")
_alias("month", "months", "mo", "mos", "mth", "mths", "mnth", "mnths")
_alias("year", "years", "yr", "yrs")
_alias("hour", "hours", "hr", "hrs")
_alias("minute", "minutes", "min", "mins")
_alias("quarter", "quarters", "qtr", "qtrs")
_alias("weekend", "weekends", "wkend", "wknd")
_alias("spring", "springtime")
_alias("summer", "summertime")
_alias("autumn", "fall", "autumntime")
_alias("winter", "wintertime")
_alias("morning", "mornings", "morn")
_alias("afternoon", "afternoons", "arvo")
_alias("evening", "evenings", "night", "nite")
_alias("early", "earlier")
_alias("mid", "middle", "midst")
_alias("late", "latter")
_alias("start", "beginning", "begin", "starting")
_alias("end", "ending")
_alias("next", "coming", "upcoming", "following")
_alias("this", "current")
_alias("last", "past", "previous", "prior")
_alias("to", "through", "thru", "till", "til", "until", "untill")
_alias("xmas", "christmas", "x-mas", "chrismas", "christmass")
_alias("thanksgiving")
_alias("halloween")
_alias("easter")
_alias("juneteenth")
_alias("valentines", "valentine")
_alias("newyear", "newyears")
_alias("nye")
_alias("holidays", "holiday", "hols")
_alias("eod", "cob", "eob")
for _w in ("by", "before", "after", "between", "and", "from", "of", "within", "ago", "now", "at", "for", "orlater", "orearlier",
           "oclock", "halfpast", "quarterpast", "quarterto", "am", "pm", "dat", "bday"):
    _WORDS[_w] = _w
# Months and weekdays both own "mar"/"sat"/"sun": the tables above keep them apart.

_EXPAND = {
    "tonight": ("this", "evening"),
    "tonite": ("this", "evening"),
    "eom": ("end", "of", "month"),
    "eow": ("end", "of", "week"),
    "eoy": ("end", "of", "year"),
    "eoq": ("end", "of", "quarter"),
    "midweek": ("mid", "week"),
    "midmonth": ("mid", "month"),
    "noon": ("@12:00",),
    "midday": ("@12:00",),
    "lunch": ("@12:00",),
    "lunchtime": ("@12:00",),
    "hence": ("from", "now"),
}

_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "ninety": 90, "couple": 2, "few": 3, "several": 3,
}
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
    "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
    "thirteenth": 13, "fourteenth": 14, "fifteenth": 15, "sixteenth": 16,
    "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20, "thirtieth": 30,
}

# Longest phrases first; looked up on the raw lower-case words.
_PHRASES: dict[tuple[str, ...], tuple[str, ...]] = {
    ("day", "after", "tomorrow"): ("dat",),
    ("end", "of", "day"): ("eod",),
    ("end", "of", "business"): ("eod",),
    ("close", "of", "business"): ("eod",),
    ("a", "couple", "of"): ("2",),
    ("couple", "of"): ("2",),
    ("a", "couple"): ("2",),
    ("a", "few"): ("3",),
    ("half", "an", "hour"): ("30", "minute"),
    ("half", "a", "hour"): ("30", "minute"),
    ("half", "hour"): ("30", "minute"),
    ("half", "past"): ("halfpast",),
    ("quarter", "past"): ("quarterpast",),
    ("quarter", "after"): ("quarterpast",),
    ("quarter", "to"): ("quarterto",),
    ("quarter", "of"): ("quarterto",),
    ("new", "year", "eve"): ("nye",),
    ("new", "years", "eve"): ("nye",),
    ("new", "year", "day"): ("newyear",),
    ("new", "years", "day"): ("newyear",),
    ("new", "year"): ("newyear",),
    ("new", "years"): ("newyear",),
    ("christmas", "eve"): ("xmaseve",),
    ("xmas", "eve"): ("xmaseve",),
    ("christmas", "day"): ("xmas",),
    ("independence", "day"): ("july4",),
    ("labor", "day"): ("laborday",),
    ("labour", "day"): ("laborday",),
    ("memorial", "day"): ("memorialday",),
    ("martin", "luther", "king", "day"): ("mlkday",),
    ("mlk", "day"): ("mlkday",),
    ("presidents", "day"): ("presidentsday",),
    ("president", "day"): ("presidentsday",),
    ("columbus", "day"): ("columbusday",),
    ("veterans", "day"): ("veteransday",),
    ("veteran", "day"): ("veteransday",),
    ("valentine", "day"): ("valentines",),
    ("valentines", "day"): ("valentines",),
    ("good", "friday"): ("goodfriday",),
    ("easter", "sunday"): ("easter",),
    ("black", "friday"): ("blackfriday",),
    ("cyber", "monday"): ("cybermonday",),
    ("mother", "day"): ("mothersday",),
    ("mothers", "day"): ("mothersday",),
    ("father", "day"): ("fathersday",),
    ("fathers", "day"): ("fathersday",),
    ("thanksgiving", "day"): ("thanksgiving",),
    ("holiday", "season"): ("holidays",),
    ("business", "day"): ("bday",),
    ("business", "days"): ("bday",),
    ("working", "day"): ("bday",),
    ("working", "days"): ("bday",),
    ("work", "days"): ("bday",),
    ("rest", "of", "this"): ("this",),
    ("rest", "of"): ("this",),
    ("remainder", "of"): ("this",),
    ("this", "coming"): ("this",),
    ("no", "later", "than"): ("by",),
    # "3 pm or later", "Monday or after": from then on; "by 3 or earlier": no later than.
    ("or", "later"): ("orlater",),
    ("or", "after"): ("orlater",),
    ("and", "later"): ("orlater",),
    ("or", "earlier"): ("orearlier",),
    ("or", "before"): ("orearlier",),
    ("or", "sooner"): ("orearlier",),
    ("working", "week"): ("week",),
    ("work", "week"): ("week",),
    ("business", "week"): ("week",),
    ("week", "end"): ("weekend",),
    ("week", "-", "end"): ("weekend",),
    ("not", "later", "than"): ("by",),
    ("at", "latest"): (),
    ("first", "thing"): ("morning",),
    ("after", "lunch"): ("afternoon",),
    ("lunch", "time"): ("@12:00",),
    ("spring", "time"): ("spring",),
    ("summer", "time"): ("summer",),
    ("winter", "time"): ("winter",),
    # More holidays (Duckling's corpus names them); see spans._holiday for the dates.
    ("juneteenth", "national", "independence", "day"): ("juneteenth",),
    ("cinco", "de", "mayo"): ("cincodemayo",),
    ("armistice", "day"): ("veteransday",),
    ("remembrance", "day"): ("veteransday",),
    ("poppy", "day"): ("veteransday",),
    ("flag", "day"): ("flagday",),
    ("groundhog", "day"): ("groundhogday",),
    ("patriot", "day"): ("patriotday",),
    ("bastille", "day"): ("bastilleday",),
    ("canada", "day"): ("canadaday",),
    ("guy", "fawkes", "day"): ("guyfawkes",),
    ("guy", "fawkes", "night"): ("guyfawkes",),
    ("bonfire", "night"): ("guyfawkes",),
    ("canadian", "thanksgiving", "day"): ("canadianthanksgiving",),
    ("canadian", "thanksgiving"): ("canadianthanksgiving",),
    ("washington", "birthday"): ("presidentsday",),
    ("washingtons", "birthday"): ("presidentsday",),
    ("civil", "rights", "day"): ("mlkday",),
    ("day", "before", "christmas"): ("xmaseve",),
    ("day", "after", "christmas"): ("boxingday",),
    ("boxing", "day"): ("boxingday",),
    ("st", "stephen", "day"): ("boxingday",),
    ("st", "stephens", "day"): ("boxingday",),
    ("saint", "stephen", "day"): ("boxingday",),
    ("earth", "day"): ("earthday",),
    ("palm", "sunday"): ("palmsunday",),
    ("april", "fools", "day"): ("aprilfools",),
    ("april", "fool", "day"): ("aprilfools",),
    ("april", "fools"): ("aprilfools",),
    ("african", "liberation", "day"): ("africaday",),
    ("africa", "day"): ("africaday",),
    ("may", "day"): ("mayday",),
    ("st", "patrick", "day"): ("stpatricks",),
    ("st", "patricks", "day"): ("stpatricks",),
    ("saint", "patrick", "day"): ("stpatricks",),
    ("st", "paddy", "day"): ("stpatricks",),
    ("st", "paddys", "day"): ("stpatricks",),
    ("all", "saints", "day"): ("allsaints",),
    ("easter", "monday"): ("eastermonday",),
    ("easter", "mon"): ("eastermonday",),
}
_PHRASE_MAX = max(len(words) for words in _PHRASES)

_FILLERS = frozenset(
    ["call", "calls", "calling", "me", "us", "him", "her", "them", "back", "try", "ring", "give", "reach", "contact", "phone", "around", "about", "approximately", "approx", "roughly", "circa", "ca", "sometime", "sometimes", "some", "time", "maybe", "perhaps", "probably", "possibly", "likely", "ish", "please", "pls", "plz", "in", "on", "the", "how", "lets", "let", "say", "like", "just", "so", "well", "um", "uh", "umm", "er", "erm", "hmm", "ok", "okay", "yeah", "yes", "sure", "then", "again", "later", "soon", "sooner", "i", "im", "we", "you", "it", "is", "be", "are", "will", "would", "could", "should", "shall", "might", "can", "do", "if", "that", "thats", "there", "its", "free", "available", "prefer", "better", "best", "good", "works", "fine", "great", "thanks", "thank", "hi", "hello", "towards", "toward", "out", "up", "once", "any", "anytime", "whenever", "kind", "sort", "or", "else", "want", "wants", "we'll", "i'll", "talk", "speak", "chat", "follow", "followup", "check", "touch", "base", "circle", "get", "go", "see", "meet", "catch", "reconnect", "am"]
)
_NEGATIONS = frozenset(["not", "dont", "never", "no", "nope", "cant", "wont", "cancel", "stop", "remove", "dnc", "don't"])
_UNITS = frozenset(("day", "bday", "week", "fortnight", "month", "year", "hour", "minute"))
_PODS = {"morning": (8, 12), "afternoon": (12, 17), "evening": (17, 20)}
_HOLIDAY_NAMES = {
    "xmas": "Christmas", "xmaseve": "Christmas Eve", "newyear": "New Year's Day",
    "nye": "New Year's Eve", "july4": "4th of July", "thanksgiving": "Thanksgiving",
    "laborday": "Labor Day", "memorialday": "Memorial Day", "mlkday": "MLK Day",
    "presidentsday": "Presidents' Day", "columbusday": "Columbus Day",
    "veteransday": "Veterans Day", "valentines": "Valentine's Day", "halloween": "Halloween",
    "easter": "Easter", "goodfriday": "Good Friday", "blackfriday": "Black Friday",
    "cybermonday": "Cyber Monday", "mothersday": "Mother's Day", "fathersday": "Father's Day",
    "juneteenth": "Juneteenth", "cincodemayo": "Cinco de Mayo", "flagday": "Flag Day",
    "groundhogday": "Groundhog Day", "patriotday": "Patriot Day", "bastilleday": "Bastille Day",
    "canadaday": "Canada Day", "guyfawkes": "Guy Fawkes Night", "boxingday": "Boxing Day",
    "earthday": "Earth Day", "aprilfools": "April Fools' Day", "africaday": "Africa Day",
    "mayday": "May Day", "stpatricks": "St Patrick's Day", "epiphany": "Epiphany",
    "allsaints": "All Saints' Day", "eastermonday": "Easter Monday", "palmsunday": "Palm Sunday",
    "canadianthanksgiving": "Canadian Thanksgiving",
}
for _w in _HOLIDAY_NAMES:
    _WORDS[_w] = _w

# A token is either a vocabulary word or one of these shapes.
_SHAPE = re.compile(r"[0-9]+|[0-9]+th|[@~][0-9]{1,2}:[0-9][0-9]|q[1-4]|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}|[0-9]{1,4}(?:[/.][0-9]{1,4}){1,2}")
_TOKEN = re.compile(
    # ASCII digits only: other scripts' digits end up as unknown tokens, never as numbers.
    r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}|[0-9]{1,4}(?:[/.][0-9]{1,4}){1,2}|[0-9]{1,3}:[0-9][0-9]"
    r"|q[1-4](?![0-9])|[0-9]+|[^\W\d_]+(?:'[^\W\d_]+)?|\d+|-"
)
_DASHES = str.maketrans({dash: "-" for dash in "‐‑‒–—―−"} | {"’": "'", "‘": "'", "`": "'"})
