//! A rule's value with the source that states it: what every profile rule is made of, below
//! the modules that read rules (`time_rules`, `claims`, `profile`).

use serde::{Deserialize, Serialize};

/// A rule's value and, optionally, which of the profile's sources states it (else the
/// profile's `default_source`). In TOML either the bare value or `{ value = ..., source = "id" }`,
/// and written back the same way (a bare value when it names no source), so a written profile
/// reads back as it was.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sourced<T> {
    /// The rule's value.
    pub value: T,
    /// The id of the source that states it.
    pub source: Option<String>,
}

impl<T: Serialize> Serialize for Sourced<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct as _;
        match &self.source {
            None => self.value.serialize(s),
            Some(source) => {
                let mut table = s.serialize_struct("Sourced", 2)?;
                table.serialize_field("value", &self.value)?;
                table.serialize_field("source", source)?;
                table.end()
            }
        }
    }
}

impl<T> Sourced<T> {
    /// A value with no source of its own.
    pub fn plain(value: T) -> Self {
        Sourced { value, source: None }
    }
}

impl Sourced<bool> {
    /// Whether the rule is off (serde leaves such a rule out of a profile it writes).
    pub fn is_false(&self) -> bool {
        !self.value
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Sourced<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw<T> {
            Table { value: T, source: String },
            Plain(T),
        }
        match Raw::deserialize(d) {
            Ok(Raw::Table { value, source }) => Ok(Sourced { value, source: Some(source) }),
            Ok(Raw::Plain(value)) => Ok(Sourced { value, source: None }),
            Err(_) => Err(serde::de::Error::custom(
                "expected a value, or a table { value = ..., source = \"SOURCE-ID\" }",
            )),
        }
    }
}
