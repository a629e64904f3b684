//! Times as the pages show them: in UTC, computed from Unix seconds by plain arithmetic, so the
//! server's render and the browser's hydration print exactly the same text.

const DAY: i64 = 86_400;

/// `14:05 UTC`.
pub fn utc_time(unix_secs: i64) -> String {
    let of_day = unix_secs.rem_euclid(DAY);
    format!("{:02}:{:02} UTC", of_day / 3600, of_day % 3600 / 60)
}

/// `2024-06-03 14:05 UTC`.
pub fn utc_date_time(unix_secs: i64) -> String {
    format!("{} {}", utc_date(unix_secs), utc_time(unix_secs))
}

/// `2024-06-03 14:50:42 UTC`: an audit event's moment, to the second.
pub fn utc_date_time_seconds(unix_secs: i64) -> String {
    let of_day = unix_secs.rem_euclid(DAY);
    format!(
        "{} {:02}:{:02}:{:02} UTC",
        utc_date(unix_secs),
        of_day / 3600,
        of_day % 3600 / 60,
        of_day % 60
    )
}

/// `2024-06-03`.
fn utc_date(unix_secs: i64) -> String {
    let (year, month, day) = civil_from_days(unix_secs.div_euclid(DAY));
    format!("{year:04}-{month:02}-{day:02}")
}

/// What is left of a time limit, in words: `1 h 5 min left`, `12 min left`.
pub fn time_left(secs: i64) -> String {
    match secs {
        s if s <= 0 => "time is up".to_owned(),
        s if s < 60 => "less than a minute left".to_owned(),
        s if s < 3600 => format!("{} min left", s / 60),
        s => format!("{} h {} min left", s / 3600, s % 3600 / 60),
    }
}

/// The proleptic Gregorian date of a day counted from 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_times_in_utc() {
        assert_eq!(utc_time(0), "00:00 UTC");
        // 2024-06-03 14:50:42 UTC, the guide's audit example.
        assert_eq!(utc_time(1_717_426_242), "14:50 UTC");
        assert_eq!(utc_time(DAY - 1), "23:59 UTC");
        assert_eq!(utc_time(-60), "23:59 UTC");
    }

    #[test]
    fn dates_in_utc() {
        assert_eq!(utc_date_time(0), "1970-01-01 00:00 UTC");
        assert_eq!(utc_date_time(1_717_426_242), "2024-06-03 14:50 UTC");
        // Leap day, and the last second of a year.
        assert_eq!(utc_date_time(1_709_164_800), "2024-02-29 00:00 UTC");
        assert_eq!(utc_date_time(1_735_689_599), "2024-12-31 23:59 UTC");
        assert_eq!(utc_date_time(951_782_400), "2000-02-29 00:00 UTC");
        assert_eq!(utc_date_time(-1), "1969-12-31 23:59 UTC");
        assert_eq!(
            utc_date_time_seconds(1_717_426_242),
            "2024-06-03 14:50:42 UTC"
        );
        assert_eq!(utc_date_time_seconds(-1), "1969-12-31 23:59:59 UTC");
    }

    #[test]
    fn time_left_in_words() {
        assert_eq!(time_left(-5), "time is up");
        assert_eq!(time_left(0), "time is up");
        assert_eq!(time_left(59), "less than a minute left");
        assert_eq!(time_left(60), "1 min left");
        assert_eq!(time_left(3599), "59 min left");
        assert_eq!(time_left(3600), "1 h 0 min left");
        assert_eq!(time_left(3600 + 5 * 60 + 30), "1 h 5 min left");
    }
}
