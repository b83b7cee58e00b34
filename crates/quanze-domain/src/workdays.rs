//! Working days (工作日) for the time limits of the admission procedure: a department applies
//! 30 working days before the work would start, and the 编办 decides within 15 working days
//! (`docs/domain.md` §4). A working day is a Monday to Friday that is not a public holiday, or a
//! weekend day the State Council made a working day (调休上班).
//!
//! The holidays and adjusted working days come from a YAML calendar
//! (`templates/calendar/cn-holidays.yaml`, one entry per year with the notice it follows);
//! years the calendar does not cover count weekends only, and [`WorkCalendar::covers`] says so,
//! so that a caller can tell the user that a date was counted without holidays.
//!
//! Pure: no clock. "Today" is always passed in.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::Deserialize;

/// Public holidays and adjusted working days, by year.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkCalendar {
    /// 放假 days (weekends inside a holiday included or not: either way they are off).
    holidays: BTreeSet<NaiveDate>,
    /// Weekend days that are working days (调休上班).
    adjusted_workdays: BTreeSet<NaiveDate>,
    /// The years the calendar lists, with the source each follows.
    years: BTreeMap<i32, String>,
}

/// A calendar file that cannot be read: its name, the line, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("节假日日历 {source_name} 有误（第 {line} 行）：{message}")]
pub struct CalendarError {
    pub source_name: String,
    pub line: usize,
    pub message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CalendarFile {
    #[allow(dead_code)] // Read so that the file must name itself; shown to nobody yet.
    name: String,
    years: BTreeMap<i32, CalendarYear>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CalendarYear {
    /// The notice the year follows (国办发明电〔2025〕7号), or why it follows none yet.
    source: String,
    /// Dates (`2026-10-01`) or ranges (`2026-10-01..2026-10-07`, both ends included).
    #[serde(default)]
    holidays: Vec<String>,
    #[serde(default)]
    workdays: Vec<String>,
}

impl WorkCalendar {
    /// Read a calendar (`templates/calendar/*.yaml`). Every date must lie in the year it is
    /// listed under, and an adjusted working day must be a weekend day, so that a typo in a
    /// year or a month is refused rather than counted.
    pub fn from_yaml(source_name: &str, text: &str) -> Result<WorkCalendar, CalendarError> {
        let error = |line: usize, message: String| CalendarError { source_name: source_name.to_string(), line, message };
        let file: CalendarFile = serde_norway::from_str(text)
            .map_err(|e| error(e.location().map_or(0, |l| l.line()), e.to_string()))?;
        let mut calendar = WorkCalendar::default();
        for (year, entry) in file.years {
            for text in &entry.holidays {
                for date in dates_of(text).map_err(|m| error(0, m))? {
                    if date.year() != year {
                        return Err(error(0, format!("{year} 年的放假日期 {date} 不在 {year} 年")));
                    }
                    calendar.holidays.insert(date);
                }
            }
            for text in &entry.workdays {
                for date in dates_of(text).map_err(|m| error(0, m))? {
                    if date.year() != year || !is_weekend(date) {
                        return Err(error(0, format!("{year} 年的调休上班日 {date} 应是该年的周六或周日")));
                    }
                    calendar.adjusted_workdays.insert(date);
                }
            }
            calendar.years.insert(year, entry.source);
        }
        Ok(calendar)
    }

    /// Whether the calendar lists `date`'s year (otherwise only weekends are days off).
    pub fn covers(&self, date: NaiveDate) -> bool {
        self.years.contains_key(&date.year())
    }

    /// The notice (or note) the calendar follows for `year`.
    pub fn source_of(&self, year: i32) -> Option<&str> {
        self.years.get(&year).map(String::as_str)
    }

    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        if self.adjusted_workdays.contains(&date) {
            return true;
        }
        !is_weekend(date) && !self.holidays.contains(&date)
    }

    /// The `n`-th working day after `date` (`date` itself never counts): the decision
    /// deadline of a request applied for on `date` is `add_working_days(date, 15)`.
    pub fn add_working_days(&self, date: NaiveDate, n: u32) -> NaiveDate {
        let mut day = date;
        let mut left = n;
        while left > 0 {
            day = next_day(day);
            if self.is_working_day(day) {
                left -= 1;
            }
        }
        day
    }

    /// How many working days lie after `from` up to and including `to`; 0 when `to` is not
    /// after `from`. A request decided on its deadline is 0 days over; one still open the
    /// working day after is 1.
    pub fn working_days_after(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        let mut count = 0;
        let mut day = from;
        while day < to {
            day = next_day(day);
            if self.is_working_day(day) {
                count += 1;
            }
        }
        count
    }
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

fn next_day(date: NaiveDate) -> NaiveDate {
    // chrono's last date is 262143-12-31; no admission date comes near it.
    date.checked_add_days(Days::new(1)).unwrap_or(date)
}

/// `2026-10-01` or `2026-10-01..2026-10-07` (both ends included) as dates.
fn dates_of(text: &str) -> Result<Vec<NaiveDate>, String> {
    let parse = |t: &str| {
        NaiveDate::parse_from_str(t.trim(), "%Y-%m-%d").map_err(|_| format!("无法理解日期“{}”，应写作 YYYY-MM-DD", t.trim()))
    };
    match text.split_once("..") {
        None => Ok(vec![parse(text)?]),
        Some((first, last)) => {
            let (first, last) = (parse(first)?, parse(last)?);
            if last < first || (last - first).num_days() > 31 {
                return Err(format!("日期范围“{text}”应从早到晚，且不超过一个月"));
            }
            Ok(first.iter_days().take_while(|d| *d <= last).collect())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_default()
    }

    /// The 2026 National Day holiday as the State Council set it: 10-01..10-07 off, 09-20
    /// (Sunday) and 10-10 (Saturday) working.
    const NATIONAL_DAY_2026: &str = "
name: 测试
years:
  2026:
    source: 国办发明电〔2025〕7号
    holidays: [2026-10-01..2026-10-07]
    workdays: [2026-09-20, 2026-10-10]
";

    #[test]
    fn weekends_only_without_a_calendar() {
        let calendar = WorkCalendar::default();
        // Friday 2026-11-20 + 1 working day = Monday 2026-11-23.
        assert_eq!(calendar.add_working_days(day("2026-11-20"), 1), day("2026-11-23"));
        assert_eq!(calendar.add_working_days(day("2026-11-20"), 0), day("2026-11-20"));
        assert_eq!(calendar.add_working_days(day("2026-11-16"), 15), day("2026-12-07"));
        assert!(!calendar.covers(day("2026-01-01")));
    }

    #[test]
    fn holidays_are_skipped_and_adjusted_weekends_count() {
        let calendar = WorkCalendar::from_yaml("test", NATIONAL_DAY_2026).unwrap_or_default();
        assert!(calendar.covers(day("2026-05-01")));
        assert!(calendar.is_working_day(day("2026-09-20")), "调休上班的周日");
        assert!(!calendar.is_working_day(day("2026-10-05")), "国庆假期的周一");
        assert!(calendar.is_working_day(day("2026-10-10")), "调休上班的周六");
        // Applied on Friday 09-18: Sunday 09-20 counts, the holiday does not.
        // 09-20, 21, 22, 23, 24, 25, 28, 29, 30, 10-08, 09, 10, 12, 13, 14 → the 15th is 10-14.
        assert_eq!(calendar.add_working_days(day("2026-09-18"), 15), day("2026-10-14"));
        assert_eq!(calendar.working_days_after(day("2026-09-18"), day("2026-10-14")), 15);
    }

    #[test]
    fn counting_after_is_the_inverse_of_adding() {
        let calendar = WorkCalendar::from_yaml("test", NATIONAL_DAY_2026).unwrap_or_default();
        let start = day("2026-09-01");
        for n in 0..60 {
            let end = calendar.add_working_days(start, n);
            assert_eq!(calendar.working_days_after(start, end), n, "n = {n}");
        }
        assert_eq!(calendar.working_days_after(day("2026-10-14"), day("2026-10-01")), 0);
        // Over the holiday: the working day after 09-30 is 10-08.
        assert_eq!(calendar.working_days_after(day("2026-09-30"), day("2026-10-08")), 1);
    }

    #[test]
    fn a_wrong_year_or_a_weekday_workday_is_refused() {
        let wrong_year = "name: x\nyears:\n  2026:\n    source: s\n    holidays: [2025-10-01]\n";
        let refused = WorkCalendar::from_yaml("x.yaml", wrong_year);
        assert!(refused.is_err_and(|e| e.message.contains("不在 2026 年")));
        let weekday = "name: x\nyears:\n  2026:\n    source: s\n    workdays: [2026-10-09]\n";
        assert!(WorkCalendar::from_yaml("x.yaml", weekday).is_err_and(|e| e.message.contains("周六或周日")));
        let typo = "name: x\nyears:\n  2026:\n    source: s\n    holiday: [2026-10-01]\n";
        assert!(WorkCalendar::from_yaml("x.yaml", typo).is_err_and(|e| e.line > 0));
        let backwards = "name: x\nyears:\n  2026:\n    source: s\n    holidays: [2026-10-07..2026-10-01]\n";
        assert!(WorkCalendar::from_yaml("x.yaml", backwards).is_err());
    }
}
