//! Unit conversions shared by parsers and column mappings. One place, so a factor is never
//! typed twice.

/// Factor that converts a time in `unit` to milliseconds (`s` → 1000). `None` for an unknown unit.
#[must_use]
pub fn time_factor_to_ms(unit: &str) -> Option<f64> {
    match unit {
        "s" | "sec" | "seconds" => Some(1000.0),
        "ms" | "milliseconds" => Some(1.0),
        "us" | "µs" | "microseconds" => Some(1e-3),
        "ns" | "nanoseconds" => Some(1e-6),
        _ => None,
    }
}

/// Seconds → milliseconds.
#[must_use]
pub fn s_to_ms(s: f64) -> f64 {
    s * 1000.0
}

/// Nanoseconds → milliseconds.
#[must_use]
pub fn ns_to_ms(ns: f64) -> f64 {
    ns / 1e6
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn factors() {
        assert_eq!(time_factor_to_ms("s"), Some(1000.0));
        assert_eq!(time_factor_to_ms("ns"), Some(1e-6));
        assert_eq!(time_factor_to_ms("h"), None);
        assert_eq!(s_to_ms(0.25), 250.0);
        assert_eq!(ns_to_ms(2_500_000.0), 2.5);
    }
}
