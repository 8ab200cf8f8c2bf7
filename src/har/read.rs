//! Reading a HAR 1.2 file as a stream: one entry at a time is in memory, never the whole file.
//!
//! The HAR format is one JSON object (`{"log": {"creator", "pages", "entries": [...]}}`,
//! <http://www.softwareishard.com/blog/har-12-spec/>); Chrome, Edge, Firefox and Safari write
//! it, each with its own extra fields (ignored here) and some leaving fields out or `null`
//! (read as empty). Gzip is recognised by its magic bytes.

use std::fmt;
use std::io::{BufRead, BufReader, Read};

use serde::Deserialize;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

/// The most a HAR file may hold once decompressed: a 200 MB capture is large; this leaves room
/// for ten of them and stops a gzip bomb.
pub const MAX_HAR_BYTES: u64 = 2 << 30;

/// A name and a value (a header, cookie, query or form parameter).
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct NameValue {
    /// The name.
    #[serde(deserialize_with = "lenient_text")]
    pub name: String,
    /// The value (a missing or `null` value reads as empty).
    #[serde(deserialize_with = "lenient_text")]
    pub value: String,
}

/// A request's body.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct PostData {
    /// Its media type.
    #[serde(deserialize_with = "lenient_text")]
    pub mime_type: String,
    /// Its text, when the browser kept it.
    #[serde(deserialize_with = "lenient_option")]
    pub text: Option<String>,
    /// Form parameters, when the browser split them.
    #[serde(deserialize_with = "lenient_list")]
    pub params: Vec<NameValue>,
}

/// A request.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Request {
    /// `GET`, `POST`, ...
    #[serde(deserialize_with = "lenient_text")]
    pub method: String,
    /// The full URL.
    #[serde(deserialize_with = "lenient_text")]
    pub url: String,
    /// Its headers.
    #[serde(deserialize_with = "lenient_list")]
    pub headers: Vec<NameValue>,
    /// Its cookies.
    #[serde(deserialize_with = "lenient_list")]
    pub cookies: Vec<NameValue>,
    /// Its query parameters.
    #[serde(deserialize_with = "lenient_list")]
    pub query_string: Vec<NameValue>,
    /// Its body.
    pub post_data: Option<PostData>,
}

/// A response's body.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Content {
    /// Its size in bytes, as the browser saw it (kept when the text was not).
    #[serde(deserialize_with = "lenient_number")]
    pub size: i64,
    /// Its media type.
    #[serde(deserialize_with = "lenient_text")]
    pub mime_type: String,
    /// Its text, when the browser kept it (base64 when `encoding` says so).
    #[serde(deserialize_with = "lenient_option")]
    pub text: Option<String>,
    /// `base64` for a body kept as base64.
    #[serde(deserialize_with = "lenient_option")]
    pub encoding: Option<String>,
}

/// A response.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Response {
    /// The HTTP status (0 when the request never got an answer).
    #[serde(deserialize_with = "lenient_number")]
    pub status: i64,
    /// The status's words.
    #[serde(deserialize_with = "lenient_text")]
    pub status_text: String,
    /// Its headers.
    #[serde(deserialize_with = "lenient_list")]
    pub headers: Vec<NameValue>,
    /// Its cookies.
    #[serde(deserialize_with = "lenient_list")]
    pub cookies: Vec<NameValue>,
    /// Its body.
    #[serde(deserialize_with = "null_as_default")]
    pub content: Content,
}

/// One request and its response.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Entry {
    /// When the request started (ISO 8601, with the browser's offset).
    #[serde(deserialize_with = "lenient_text")]
    pub started_date_time: String,
    /// The request.
    #[serde(deserialize_with = "null_as_default")]
    pub request: Request,
    /// The response.
    #[serde(deserialize_with = "null_as_default")]
    pub response: Response,
}

/// What the file says of itself besides its entries.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Log {
    /// The tool that wrote it (`WebInspector`, `Firefox`, ...), with its version.
    pub creator: String,
    /// How many entries it holds.
    pub entries: usize,
}

/// Why a file could not be read as a HAR.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ReadError {
    /// Not JSON at all.
    #[error(
        "{what} is not a HAR file: a HAR is JSON starting with {{\"log\": ... (export it from the browser's Network tab: right-click a request, Save all as HAR)"
    )]
    NotJson { what: String },
    /// Nothing at all.
    #[error("{what} is empty: export the HAR again (DevTools, Network, Save all as HAR)")]
    Empty { what: String },
    /// JSON, but not a HAR.
    #[error(
        "{what} is JSON but not a HAR: it has no log.entries (export it from the browser's Network tab: right-click a request, Save all as HAR)"
    )]
    NoEntries { what: String },
    /// Broken part-way.
    #[error("{what} is not a complete HAR: {detail} (the file may be cut short: export it again)")]
    Broken { what: String, detail: String },
    /// Over the limit.
    #[error("{what} is over {limit} once decompressed: tokensmith stops reading there")]
    TooBig { what: String, limit: String },
    /// The file cannot be read.
    #[error("cannot read {what}: {detail}")]
    Io { what: String, detail: String },
}

/// Reads a HAR (plain or gzip) from `reader`, handing each entry to `each` in file order.
/// `what` names the file in errors.
pub fn read(reader: impl Read, what: &str, mut each: impl FnMut(Entry)) -> Result<Log, ReadError> {
    let mut buffered = BufReader::with_capacity(1 << 16, reader);
    let head = buffered.fill_buf().map_err(|e| ReadError::Io { what: what.into(), detail: e.to_string() })?;
    let gzip = head.starts_with(&[0x1f, 0x8b]);
    let limited: Box<dyn Read> = if gzip {
        Box::new(flate2::bufread::MultiGzDecoder::new(buffered).take(MAX_HAR_BYTES + 1))
    } else {
        Box::new(buffered.take(MAX_HAR_BYTES + 1))
    };
    let read = std::rc::Rc::new(std::cell::Cell::new(0));
    let counted = Counted { inner: limited, read: std::rc::Rc::clone(&read) };
    let mut de = serde_json::Deserializer::from_reader(counted);
    let mut log = Log::default();
    let (mut found, mut started) = (false, false);
    let root = RootVisitor { log: &mut log, found: &mut found, started: &mut started, each: &mut each };
    let result = (&mut de).deserialize_map(root);
    if read.get() > MAX_HAR_BYTES {
        return Err(ReadError::TooBig { what: what.into(), limit: crate::limits::size(MAX_HAR_BYTES) });
    }
    match result {
        Ok(()) if found => Ok(log),
        Ok(()) => Err(ReadError::NoEntries { what: what.into() }),
        Err(e) if e.is_io() => Err(ReadError::Io { what: what.into(), detail: e.to_string() }),
        Err(e) if !started && e.is_eof() && e.column() == 0 => Err(ReadError::Empty { what: what.into() }),
        // Broken before the first `{` was read whole: not JSON at all.
        Err(e) if !started && e.is_syntax() => Err(ReadError::NotJson { what: what.into() }),
        Err(e) if !found && e.is_data() => Err(ReadError::NoEntries { what: what.into() }),
        Err(e) => Err(ReadError::Broken { what: what.into(), detail: e.to_string() }),
    }
}

/// Counts what passes, to tell "over the limit" from "cut short".
struct Counted<R> {
    inner: R,
    read: std::rc::Rc<std::cell::Cell<u64>>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.set(self.read.get().saturating_add(u64::try_from(n).unwrap_or(u64::MAX)));
        Ok(n)
    }
}

type Each<'a> = &'a mut dyn FnMut(Entry);

struct RootVisitor<'a, 'b> {
    log: &'a mut Log,
    found: &'a mut bool,
    started: &'a mut bool,
    each: Each<'b>,
}

impl<'de> Visitor<'de> for RootVisitor<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a HAR object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        *self.started = true;
        while let Some(key) = map.next_key::<String>()? {
            if key == "log" {
                map.next_value_seed(LogSeed {
                    log: &mut *self.log,
                    found: &mut *self.found,
                    each: &mut *self.each,
                })?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

struct LogSeed<'a, 'b> {
    log: &'a mut Log,
    found: &'a mut bool,
    each: Each<'b>,
}

impl<'de> DeserializeSeed<'de> for LogSeed<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for LogSeed<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("the HAR's log object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "entries" => {
                    *self.found = true;
                    map.next_value_seed(EntriesSeed { log: &mut *self.log, each: &mut *self.each })?;
                }
                "creator" => {
                    let creator: Value = map.next_value()?;
                    let text =
                        |k: &str| creator.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
                    self.log.creator = format!("{} {}", text("name"), text("version")).trim().to_string();
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

struct EntriesSeed<'a, 'b> {
    log: &'a mut Log,
    each: Each<'b>,
}

impl<'de> DeserializeSeed<'de> for EntriesSeed<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for EntriesSeed<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("the HAR's list of entries")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(entry) = seq.next_element::<Entry>()? {
            self.log.entries = self.log.entries.saturating_add(1);
            (self.each)(entry);
        }
        Ok(())
    }
}

/// Text whatever the writer put: a string as it is, `null` or nothing as empty, a number or
/// anything else as its JSON.
fn lenient_text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::String(s) => s,
        Value::Null => String::new(),
        other => other.to_string(),
    })
}

fn lenient_option<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::String(s) => Some(s),
        Value::Null => None,
        other => Some(other.to_string()),
    })
}

fn lenient_number<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Number(n) => n.as_i64().unwrap_or_default(),
        Value::String(s) => s.trim().parse().unwrap_or_default(),
        _ => 0,
    })
}

fn lenient_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<NameValue>, D::Error> {
    Ok(Option::<Vec<NameValue>>::deserialize(d)?.unwrap_or_default())
}

fn null_as_default<'de, D: Deserializer<'de>, T: Default + Deserialize<'de>>(d: D) -> Result<T, D::Error> {
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(text: &[u8]) -> Result<(Log, Vec<Entry>), ReadError> {
        let mut out = Vec::new();
        read(text, "test.har", |e| out.push(e)).map(|log| (log, out))
    }

    #[test]
    fn entries_come_one_by_one_with_nulls_and_missing_fields_read_as_empty() {
        let har = br#"{"log": {"version": "1.2", "creator": {"name": "Firefox", "version": "133.0"},
            "pages": [{"id": "page_1"}],
            "entries": [
              {"startedDateTime": "2026-01-31T14:03:11.120+01:00",
               "request": {"method": "GET", "url": "https://a.example/x?t=1", "headers": [{"name": "Accept", "value": null}],
                           "queryString": [{"name": "t", "value": "1"}], "cookies": null},
               "response": {"status": 401, "statusText": "Unauthorized", "headers": [],
                            "content": {"size": 12, "mimeType": "application/json", "text": "{\"error\":1}"}}},
              {"request": {"url": "https://b.example/"}, "response": {"status": "200", "content": {}}}
            ]}}"#;
        let (log, got) = entries(har).expect("reads");
        assert_eq!(log, Log { creator: "Firefox 133.0".into(), entries: 2 });
        assert_eq!(got[0].request.headers[0], NameValue { name: "Accept".into(), value: String::new() });
        assert_eq!(got[0].response.status, 401);
        assert_eq!(got[0].response.content.text.as_deref(), Some("{\"error\":1}"));
        assert_eq!(got[1].response.status, 200);
        assert!(got[1].request.cookies.is_empty() && got[1].started_date_time.is_empty());
    }

    #[test]
    fn gzip_reads_the_same() {
        use std::io::Write as _;
        let har = br#"{"log": {"entries": [{"request": {"url": "https://a.example/"}}]}}"#;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(har).expect("compresses");
        let bytes = gz.finish().expect("compresses");
        let (_, got) = entries(&bytes).expect("reads");
        assert_eq!(got[0].request.url, "https://a.example/");
    }

    #[test]
    fn what_is_not_a_har_says_so() {
        assert!(matches!(entries(b"\0\0\0\0"), Err(ReadError::NotJson { .. })), "{:?}", entries(b"\0"));
        assert!(matches!(entries(b"<html>"), Err(ReadError::NotJson { .. })));
        assert!(matches!(entries(b""), Err(ReadError::Empty { .. })), "{:?}", entries(b""));
        assert!(matches!(entries(b"  \n"), Err(ReadError::Empty { .. })), "{:?}", entries(b"  \n"));
        assert!(matches!(entries(b"not json"), Err(ReadError::NotJson { .. })), "{:?}", entries(b"not json"));
        assert!(matches!(entries(br#"{"alg": "HS256"}"#), Err(ReadError::NoEntries { .. })));
        assert!(matches!(entries(br#"[1, 2]"#), Err(ReadError::NoEntries { .. })), "{:?}", entries(b"[1,2]"));
        let cut = br#"{"log": {"entries": [{"request": {"url": "https://a.example/"}}, {"req"#;
        match entries(cut) {
            Err(ReadError::Broken { detail, .. }) => assert!(detail.contains("EOF"), "{detail}"),
            other => panic!("{other:?}"),
        }
    }
}
