"""English dates as the site writes them everywhere: day, month in full, year ("12 March 1936"), and a
24-hour clock, so a page never mixes "Sept. 18, 1931" with "18 September 1931"."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
TIME_FORMAT = "H:i"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
