//! JSON reading shared by every JSON-based parser: lenient number literals, JSONL, and field
//! accessors whose errors carry the file and JSON pointer.
//!
//! Python's `json.dump` writes bare `NaN`, `Infinity` and `-Infinity`; serde_json rejects
//! them. [`parse`] rewrites those tokens (outside strings) into the strings `"NaN"`,
//! `"Infinity"`, `"-Infinity"`, and the number accessors here read those strings back as
//! floats, so a parser never sees the difference.

use std::path::Path;

use serde_json::{Map, Value};

use crate::error::{IngestError, Location};

/// Parse one JSON document, accepting Python's non-finite literals.
///
/// # Errors
/// A syntax error naming the file, line and column.
pub fn parse(bytes: &[u8], path: &Path) -> Result<Value, IngestError> {
    let text = std::str::from_utf8(bytes)
        .map_err(|e| IngestError::syntax(Location::file(path), format!("not UTF-8 text ({e})")))?;
    let cleaned = replace_non_finite(text);
    serde_json::from_str(&cleaned).map_err(|e| {
        IngestError::syntax(
            Location::line(path, e.line() as u64, None),
            format!("invalid JSON at column {}: {e}", e.column()),
        )
    })
}

/// Parse JSON Lines: one document per non-empty line. Returns `(line number, value)`.
///
/// # Errors
/// The first line that is not valid JSON, with its line number.
pub fn parse_lines(bytes: &[u8], path: &Path) -> Result<Vec<(u64, Value)>, IngestError> {
    let text = std::str::from_utf8(bytes)
        .map_err(|e| IngestError::syntax(Location::file(path), format!("not UTF-8 text ({e})")))?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line_no = i as u64 + 1;
        if line.trim().is_empty() {
            continue;
        }
        let cleaned = replace_non_finite(line);
        let value: Value = serde_json::from_str(&cleaned).map_err(|e| {
            IngestError::syntax(
                Location::line(path, line_no, None),
                format!("invalid JSON at column {}: {e}", e.column()),
            )
        })?;
        out.push((line_no, value));
    }
    Ok(out)
}

/// True when the text holds more than one top-level JSON value on separate lines (JSONL).
#[must_use]
pub fn looks_like_jsonl(head: &[u8]) -> bool {
    let text = String::from_utf8_lossy(head);
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    match (lines.next(), lines.next()) {
        (Some(a), Some(b)) => {
            let a = a.trim();
            let b = b.trim_start();
            a.starts_with('{') && a.ends_with('}') && b.starts_with('{')
        }
        _ => false,
    }
}

/// Rewrite bare `NaN`, `Infinity`, `-Infinity` outside strings as JSON strings.
#[must_use]
pub fn replace_non_finite(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains("NaN") && !text.contains("Infinity") {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut in_string = false;
    let mut escaped = false;
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
            rest = &rest[c.len_utf8()..];
            continue;
        }
        if c == '"' {
            in_string = true;
            out.push(c);
            rest = &rest[1..];
            continue;
        }
        let mut matched = false;
        for token in ["-Infinity", "Infinity", "NaN"] {
            if rest.starts_with(token) {
                out.push('"');
                out.push_str(token);
                out.push('"');
                rest = &rest[token.len()..];
                matched = true;
                break;
            }
        }
        if !matched {
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A number from a JSON value: numbers, Python's non-finite literals, and numeric strings
/// (LLMPerf stores numbers as strings). `None` for anything else.
#[must_use]
pub fn number(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => parse_number_text(s),
        _ => None,
    }
}

/// Parse number text, accepting `NaN`, `Infinity`, `-Infinity`, `inf`, `-inf`.
#[must_use]
pub fn parse_number_text(s: &str) -> Option<f64> {
    let t = s.trim();
    match t {
        "NaN" | "nan" => Some(f64::NAN),
        "Infinity" | "inf" | "+inf" => Some(f64::INFINITY),
        "-Infinity" | "-inf" => Some(f64::NEG_INFINITY),
        _ => t.parse::<f64>().ok(),
    }
}

/// A short description of a JSON value for error messages.
#[must_use]
pub fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => format!("{s:?}"),
        Value::Array(a) => format!("an array of {} item(s)", a.len()),
        Value::Object(_) => "an object".into(),
    }
}

/// Escape one JSON-pointer segment (RFC 6901).
#[must_use]
pub fn escape_pointer(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// A JSON object together with where it sits, so every accessor error names the place.
#[derive(Clone, Copy)]
pub struct Obj<'a> {
    /// The object.
    pub map: &'a Map<String, Value>,
    /// Its JSON pointer (`""` for the root).
    pub pointer: &'a str,
    /// The file.
    pub path: &'a Path,
}

impl<'a> Obj<'a> {
    /// Wrap a value that must be an object.
    ///
    /// # Errors
    /// When the value is not an object.
    pub fn new(value: &'a Value, pointer: &'a str, path: &'a Path) -> Result<Self, IngestError> {
        match value {
            Value::Object(map) => Ok(Obj { map, pointer, path }),
            other => Err(IngestError::wrong_type(
                Location::pointer(path, pointer),
                "a JSON object",
                describe(other),
            )),
        }
    }

    /// The pointer of a key inside this object.
    #[must_use]
    pub fn child_pointer(&self, key: &str) -> String {
        format!("{}/{}", self.pointer, escape_pointer(key))
    }

    /// The location of a key inside this object.
    #[must_use]
    pub fn loc(&self, key: &str) -> Location {
        Location::pointer(self.path, self.child_pointer(key))
    }

    /// The raw value of a key.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key)
    }

    /// True when the key exists (even with null).
    #[must_use]
    pub fn has(&self, key: &str) -> bool {
        self.map.contains_key(key)
    }

    /// An optional number: absent or null → `None`; anything non-numeric is an error.
    ///
    /// # Errors
    /// When the value is present but not a number.
    pub fn f64(&self, key: &str) -> Result<Option<f64>, IngestError> {
        match self.map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => number(v)
                .map(Some)
                .ok_or_else(|| IngestError::wrong_type(self.loc(key), "a number", describe(v))),
        }
    }

    /// An optional non-negative integer (accepts `3.0`).
    ///
    /// # Errors
    /// When present but not a non-negative whole number.
    pub fn u64(&self, key: &str) -> Result<Option<u64>, IngestError> {
        match self.map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) if n.as_u64().is_some() => Ok(n.as_u64()),
            Some(v) => match number(v) {
                Some(x) if x >= 0.0 && x.fract() == 0.0 && x < 1.8e19 =>
                {
                    #[allow(
                        clippy::cast_possible_truncation,
                        clippy::cast_sign_loss,
                        reason = "checked whole and in range"
                    )]
                    Ok(Some(x as u64))
                }
                _ => Err(IngestError::wrong_type(
                    self.loc(key),
                    "a whole number",
                    describe(v),
                )),
            },
        }
    }

    /// An optional string; numbers and booleans are rendered as text.
    ///
    /// # Errors
    /// When present but an array or object.
    pub fn str(&self, key: &str) -> Result<Option<String>, IngestError> {
        match self.map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(Value::Number(n)) => Ok(Some(n.to_string())),
            Some(Value::Bool(b)) => Ok(Some(b.to_string())),
            Some(v) => Err(IngestError::wrong_type(
                self.loc(key),
                "a string",
                describe(v),
            )),
        }
    }

    /// A required array.
    ///
    /// # Errors
    /// When present but not an array.
    pub fn array(&self, key: &str) -> Result<Option<&'a Vec<Value>>, IngestError> {
        match self.map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Array(a)) => Ok(Some(a)),
            Some(v) => Err(IngestError::wrong_type(
                self.loc(key),
                "an array",
                describe(v),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_finite_literals_become_strings_outside_strings_only() {
        let text = r#"{"a": NaN, "b": "NaN inside", "c": -Infinity, "d": [Infinity]}"#;
        let v = parse(text.as_bytes(), Path::new("x.json")).expect("parses");
        assert!(number(&v["a"]).expect("nan").is_nan());
        assert_eq!(v["b"], Value::String("NaN inside".into()));
        assert_eq!(number(&v["c"]), Some(f64::NEG_INFINITY));
        assert_eq!(number(&v["d"][0]), Some(f64::INFINITY));
    }

    #[test]
    fn syntax_error_names_line() {
        let err = parse(b"{\n\"a\": 1,\n}", Path::new("bad.json")).expect_err("invalid");
        assert!(err.to_string().starts_with("bad.json: line 3"), "{err}");
    }

    #[test]
    fn accessor_errors_carry_pointer() {
        let v: Value = serde_json::from_str(r#"{"x": {"ttft": "n/a"}}"#).expect("json");
        let root = Obj::new(&v, "", Path::new("d.json")).expect("obj");
        let ptr = root.child_pointer("x");
        let inner = Obj::new(&v["x"], &ptr, Path::new("d.json")).expect("obj");
        let err = inner.f64("ttft").expect_err("not a number");
        assert_eq!(
            err.to_string(),
            "d.json: /x/ttft: expected a number, found \"n/a\""
        );
    }

    #[test]
    fn jsonl_detection() {
        assert!(looks_like_jsonl(b"{\"a\":1}\n{\"a\":2}\n"));
        assert!(!looks_like_jsonl(b"{\n  \"a\": 1\n}\n"));
    }
}
