//! The checks that talk to the API: the token (one cheap authenticated call), the clock (the reply's
//! `Date` header) and the request budget.

use super::{Check, Level};
use crate::civil::days_from_civil;
use crate::error::Status;
use crate::{methods, response, Client};
use serde_json::{json, Value};
use std::time::{Duration, SystemTime};

/// The token check's bound (the whole diagnosis stays under ten seconds).
const CALL_BOUND: Duration = Duration::from_secs(4);
/// Clock skew beyond these is a warning / a failure: TLS validity, card dates and sales times go wrong.
const SKEW_WARNING_S: i64 = 30;
const SKEW_FAILED_S: i64 = 300;
/// The templates list is small; a larger reply is not what we asked for.
const REPLY_LIMIT: u64 = 4 * 1024 * 1024;

/// Calls `getlisttemplates` once (through the client's verifying agent and its budget) and reads the token's
/// fate and the server's clock from the reply.
pub(crate) fn token_and_clock(client: &Client) -> Vec<Check> {
    let config = client.config();
    let Some(method) = methods::find("getlisttemplates") else {
        return vec![Check::new(
            "token",
            Level::Failed,
            "not checked",
            "getlisttemplates is missing from the method table",
        )];
    };
    let token = config.token.as_deref().filter(|t| !t.is_empty());
    if let Err(e) = client.quota().acquire() {
        let wait =
            e.retry_after_ms.map_or(String::new(), |ms| format!(" (for {} s more)", ms.div_ceil(1000)));
        return vec![
            Check::new(
                "token",
                Level::Warning,
                "not checked",
                format!("the request budget is spent{wait}; see quota"),
            ),
            Check::new("clock", Level::Warning, "not checked", "no reply to read the server's clock from"),
        ];
    }
    let endpoint = config.endpoint_for(method);
    let started = std::time::Instant::now();
    let mut request = client.agent().post(&endpoint.url);
    if let Some(t) = token {
        request = request.header("Authorization", t);
    }
    let sent = request
        .config()
        .timeout_global(Some(CALL_BOUND.min(config.timeout)))
        .build()
        .send_form(Vec::<(&str, &str)>::new());
    let ms = started.elapsed().as_millis() as u64;
    let mut reply = match sent {
        Ok(r) => r,
        Err(e) => {
            let what = crate::error::Error::new(Status::Transport, e.to_string()).message;
            return vec![
                Check::new(
                    "token",
                    Level::Failed,
                    format!("no reply ({ms} ms)"),
                    format!("the call did not get through: {what}; see the checks above"),
                )
                .with("error", json!(what)),
                Check::new(
                    "clock",
                    Level::Warning,
                    "not checked",
                    "no reply to read the server's clock from",
                ),
            ];
        }
    };
    let http_status = reply.status().as_u16();
    let date = reply.headers().get("date").and_then(|v| v.to_str().ok()).map(str::to_owned);
    let body = reply.body_mut().with_config().limit(REPLY_LIMIT).read_to_vec().unwrap_or_default();
    let token_check = match (token, response::interpret_raw(http_status, &body)) {
        (None, _) => Check::new(
            "token",
            Level::Failed,
            "no token configured",
            "set the token (the config's \"token\", the CLI's --token or PASSTEAM_TOKEN); get one in the personal \
             account or with getatoken",
        ),
        (Some(_), Ok(result)) => {
            let count = serde_json::from_str::<Value>(result.get()).ok().and_then(|v| v.as_array().map(Vec::len));
            let figure = count.map_or(format!("accepted ({ms} ms)"), |n| format!("accepted, {n} template(s), {ms} ms"));
            Check::new("token", Level::Ok, figure, "the token works: getlisttemplates answered")
        }
        (Some(_), Err(e)) if e.status == Status::Auth => Check::new(
            "token",
            Level::Failed,
            format!("refused (HTTP {http_status})"),
            "Passteam does not accept this token (401/403): it was mistyped, revoked or belongs to another account; \
             copy it again from the personal account or get a new one with getatoken",
        ),
        (Some(_), Err(e)) if e.status == Status::RateLimited => Check::new(
            "token",
            Level::Warning,
            format!("not checked (HTTP {http_status})"),
            "Passteam refused the call for its request limit; see quota",
        ),
        (Some(_), Err(e)) => Check::new(
            "token",
            Level::Failed,
            format!("{} (HTTP {http_status})", e.status.name()),
            format!("the call failed: {}", truncate(&e.message)),
        ),
    }
    .with("http_status", json!(http_status))
    .with("ms", json!(ms));
    vec![redact(client, token_check), clock(date.as_deref())]
}

/// The server's `Date` against this machine's clock.
fn clock(date: Option<&str>) -> Check {
    let Some(text) = date else {
        return Check::new(
            "clock",
            Level::Warning,
            "no Date header",
            "the reply had no Date header to compare with",
        );
    };
    let Some(server) = parse_http_date(text) else {
        return Check::new(
            "clock",
            Level::Warning,
            "unreadable Date header",
            "the reply's Date header is not an HTTP date",
        )
        .with("date", json!(text));
    };
    let local = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    let skew = local - server;
    let figure = match skew {
        0 => "in step with the server".to_owned(),
        s if s > 0 => format!("{s} s ahead of the server"),
        s => format!("{} s behind the server", -s),
    };
    let (level, advice) = match skew.abs() {
        s if s < SKEW_WARNING_S => (Level::Ok, "the till's clock is right"),
        s if s < SKEW_FAILED_S => (Level::Warning, "the till's clock is off: turn on time synchronisation (NTP)"),
        _ => (
            Level::Failed,
            "the till's clock is far off: TLS certificates and card dates will be judged wrongly; set the time and turn on NTP",
        ),
    };
    Check::new("clock", level, figure, advice).with("skew_s", json!(skew)).with("server_date", json!(text))
}

/// The request budget: used and left this hour and day, the limit the server stated, any pause in force.
pub(crate) fn quota(client: &Client) -> Check {
    let q = client.quota().snapshot();
    let part = |(used, limit): (u64, u64), name: &str| {
        if limit == 0 {
            format!("{used} this {name} (no limit)")
        } else {
            format!("{used}/{limit} this {name}")
        }
    };
    let figure = format!("{}, {}", part(q.hour, "hour"), part(q.day, "day"));
    let spent = |(used, limit): (u64, u64)| limit > 0 && used >= limit;
    let low = |(used, limit): (u64, u64)| limit > 0 && used.saturating_mul(10) >= limit.saturating_mul(9);
    let (level, advice) = if let Some(p) = q.paused_for {
        let (limit, window) = q.server_limit.unwrap_or((0, "hour"));
        (
            Level::Failed,
            format!(
                "Passteam refused requests ({limit} per {window}); calls wait {} s more before one probe goes through; \
                 a higher tariff raises the limit",
                p.as_secs().max(1)
            ),
        )
    } else if spent(q.hour) || spent(q.day) {
        (Level::Failed, "the configured budget is spent: calls are refused until the window ends (quota_per_hour / quota_per_day)".into())
    } else if low(q.hour) || low(q.day) {
        (Level::Warning, "less than 10 % of the budget is left in this window".into())
    } else {
        (Level::Ok, "the request budget has room".into())
    };
    let window = |(used, limit): (u64, u64)| json!({"used": used, "limit": limit, "left": if limit == 0 { Value::Null } else { json!(limit.saturating_sub(used)) }});
    Check::new("quota", level, figure, advice)
        .with("hour", window(q.hour))
        .with("day", window(q.day))
        .with("paused_ms", q.paused_for.map_or(Value::Null, |p| json!(p.as_millis() as u64)))
        .with("refusals_in_a_row", json!(q.refusals_in_a_row))
        .with(
            "server_limit",
            q.server_limit.map_or(Value::Null, |(limit, window)| json!({"limit": limit, "window": window})),
        )
}

/// Whatever a server echoed, the token never leaves in a check.
fn redact(client: &Client, mut check: Check) -> Check {
    if let Some(token) = client.config().token.as_deref().filter(|t| t.len() >= 4) {
        check.figure = check.figure.replace(token, "***");
        check.advice = check.advice.replace(token, "***");
    }
    check
}

fn truncate(text: &str) -> String {
    let mut t: String = text.chars().take(160).collect();
    if t.len() < text.len() {
        t.push('…');
    }
    t
}

/// An IMF-fixdate (`Tue, 01 Dec 2026 09:38:46 GMT`, the only form RFC 9110 lets servers send) as Unix seconds.
pub(crate) fn parse_http_date(text: &str) -> Option<i64> {
    let parts: Vec<&str> = text.split_whitespace().collect();
    let [_, day, month, year, time, "GMT"] = parts.as_slice() else { return None };
    let day: i64 = day.parse().ok()?;
    let month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        .iter()
        .position(|m| m == month)? as i64
        + 1;
    let year: i64 = year.parse().ok()?;
    let hms: Vec<i64> = time.split(':').map(|p| p.parse().ok()).collect::<Option<_>>()?;
    let [h, m, s] = hms.as_slice() else { return None };
    if !(1..=31).contains(&day) || !(0..24).contains(h) || !(0..60).contains(m) || !(0..61).contains(s) {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400 + h * 3600 + m * 60 + s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_dates_parse_to_unix_seconds() {
        assert_eq!(parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
        assert_eq!(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), Some(784_111_777));
        assert_eq!(parse_http_date("Tue, 29 Feb 2028 23:59:59 GMT"), Some(1_835_481_599));
        for bad in [
            "",
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "Sun, 06 Foo 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 25:00:00 GMT",
            "Sun, 06 Nov 1994 08:49 GMT",
        ] {
            assert_eq!(parse_http_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn skew_levels() {
        let now = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs() as i64;
        let fmt = |t: i64| {
            // Build an IMF-fixdate for t by inverting days_from_civil with a search (test only).
            let days = t.div_euclid(86_400);
            let secs = t.rem_euclid(86_400);
            let mut y = 1970 + days / 366;
            while days_from_civil(y + 1, 1, 1) <= days {
                y += 1;
            }
            let mut m = 1;
            while m < 12 && days_from_civil(y, m + 1, 1) <= days {
                m += 1;
            }
            let d = days - days_from_civil(y, m, 1) + 1;
            let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
            format!(
                "Mon, {d:02} {} {y} {:02}:{:02}:{:02} GMT",
                months[(m - 1) as usize],
                secs / 3600,
                secs % 3600 / 60,
                secs % 60
            )
        };
        assert_eq!(clock(Some(&fmt(now))).level, Level::Ok);
        assert_eq!(clock(Some(&fmt(now - 120))).level, Level::Warning);
        assert_eq!(clock(Some(&fmt(now + 3600))).level, Level::Failed);
        assert_eq!(clock(None).level, Level::Warning);
    }
}
