//! Checks' own parameters: `[checks.<id>]` in hiyari.toml, besides `enabled` and
//! `severity` (which the configuration reads for every check).
//!
//! A check with parameters declares them in its own file as a serde struct with its
//! defaults:
//!
//! ```text
//! #[derive(Debug, Clone, Serialize, Deserialize)]
//! #[serde(deny_unknown_fields, default)]
//! pub struct Params { pub max_age_days: u32 }
//! impl Default for Params { fn default() -> Self { Params { max_age_days: 30 } } }
//! ```
//!
//! and names it in its [`Check`](crate::Check) impl
//! (`fn params(&self) -> &'static dyn ParamsSpec { &Typed::<Params>::NEW }`). The
//! configuration parses `[checks.<id>]` through it, `hiyari init` writes its defaults,
//! and the check reads the values in force with [`EvalOptions::params`](crate::EvalOptions::params).

use std::any::Any;
use std::cell::Cell;
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

use serde::de::{self, DeserializeOwned, DeserializeSeed, IntoDeserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

/// One check's parsed parameters, type-erased (the check knows the type).
pub type AnyParams = Arc<dyn Any + Send + Sync>;

/// Why a `[checks.<id>]` table was refused: the message, and where it points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamError {
    pub message: String,
    pub at: ParamErrorAt,
}

/// Where a [`ParamError`] points: the key or the value of one entry, or the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamErrorAt {
    Key(usize),
    Value(usize),
    Table,
}

/// How a check's parameters are parsed and what their defaults are.
pub trait ParamsSpec: Sync {
    /// Parses the entries of `[checks.<id>]` (without `enabled` and `severity`), in
    /// file order.
    fn parse(&self, entries: &[(String, toml::Value)]) -> Result<AnyParams, ParamError>;
    /// The parameters and their defaults, as `hiyari init` writes them.
    fn defaults(&self) -> toml::Table;
}

/// The [`ParamsSpec`] of a parameter struct `P`.
pub struct Typed<P>(PhantomData<fn() -> P>);

impl<P> Typed<P> {
    pub const NEW: Self = Typed(PhantomData);
}

impl<P> ParamsSpec for Typed<P>
where
    P: DeserializeOwned + Serialize + Default + Send + Sync + 'static,
{
    fn parse(&self, entries: &[(String, toml::Value)]) -> Result<AnyParams, ParamError> {
        parse::<P>(entries).map(|p| Arc::new(p) as AnyParams)
    }

    fn defaults(&self) -> toml::Table {
        toml::Table::try_from(P::default()).expect("parameters serialise as a TOML table")
    }
}

/// The parameters of a check that has none: any key is an unknown field.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoParams {}

/// Parses `entries` as `P`, saying which entry an error comes from.
pub fn parse<P: DeserializeOwned>(entries: &[(String, toml::Value)]) -> Result<P, ParamError> {
    let at = Cell::new(ParamErrorAt::Table);
    P::deserialize(Entries {
        entries,
        next: 0,
        at: &at,
    })
    .map_err(|e| ParamError {
        message: e.message().trim().to_string(),
        at: at.get(),
    })
}

/// A deserializer (and map) over a table's entries that records which one is being read.
struct Entries<'a> {
    entries: &'a [(String, toml::Value)],
    next: usize,
    at: &'a Cell<ParamErrorAt>,
}

impl<'de> de::Deserializer<'de> for Entries<'_> {
    type Error = toml::de::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_map(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum
        identifier ignored_any
    }
}

impl<'de> MapAccess<'de> for Entries<'_> {
    type Error = toml::de::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        let Some((key, _)) = self.entries.get(self.next) else {
            self.at.set(ParamErrorAt::Table);
            return Ok(None);
        };
        self.at.set(ParamErrorAt::Key(self.next));
        seed.deserialize(key.as_str().into_deserializer()).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Self::Error> {
        let (_, value) = &self.entries[self.next];
        self.at.set(ParamErrorAt::Value(self.next));
        self.next += 1;
        seed.deserialize(value.clone())
    }
}

/// Each check's parameters as configured, by check id; a check that is not here runs
/// with its defaults.
#[derive(Clone, Default)]
pub struct ParamsById(BTreeMap<String, AnyParams>);

impl ParamsById {
    pub fn insert(&mut self, id: &str, params: AnyParams) {
        self.0.insert(id.to_string(), params);
    }

    /// Sets one check's parameters (tests, callers with typed values).
    pub fn with<P: Send + Sync + 'static>(mut self, id: &str, params: P) -> Self {
        self.insert(id, Arc::new(params));
        self
    }

    /// The parameters of check `id`: as configured, else `P`'s defaults.
    pub fn get<P: Clone + Default + 'static>(&self, id: &str) -> P {
        self.0
            .get(id)
            .map(|p| {
                p.downcast_ref::<P>()
                    .unwrap_or_else(|| panic!("the parameters of {id} are not of this type"))
                    .clone()
            })
            .unwrap_or_default()
    }
}

impl fmt::Debug for ParamsById {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.0.keys()).finish()
    }
}

/// A percentage parameter: more than 0, at most 100. `name` is the key, for the message.
pub fn percentage<'de, D: de::Deserializer<'de>>(de: D, name: &str) -> Result<f64, D::Error> {
    let p = f64::deserialize(de)?;
    if p > 0.0 && p <= 100.0 {
        Ok(p)
    } else {
        Err(de::Error::custom(format!(
            "`{name}` is a percentage: more than 0, at most 100 (got {p})"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields, default)]
    struct P {
        days: u32,
        rate: f64,
    }

    impl Default for P {
        fn default() -> Self {
            P {
                days: 30,
                rate: 0.5,
            }
        }
    }

    fn entries(v: &[(&str, toml::Value)]) -> Vec<(String, toml::Value)> {
        v.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()
    }

    #[test]
    fn parses_with_defaults_and_points_at_the_bad_entry() {
        let p: P = parse(&entries(&[("days", 7.into())])).unwrap();
        assert_eq!(p, P { days: 7, rate: 0.5 });
        let e = parse::<P>(&entries(&[("days", 7.into()), ("dayz", 1.into())])).unwrap_err();
        assert_eq!(e.at, ParamErrorAt::Key(1));
        assert!(e.message.contains("unknown field `dayz`"), "{}", e.message);
        let e = parse::<P>(&entries(&[("rate", "x".into())])).unwrap_err();
        assert_eq!(e.at, ParamErrorAt::Value(0));
        let e = parse::<NoParams>(&entries(&[("x", true.into())])).unwrap_err();
        assert_eq!(e.at, ParamErrorAt::Key(0));
    }

    #[test]
    fn defaults_are_a_table_and_values_are_typed() {
        let spec: &dyn ParamsSpec = &Typed::<P>::NEW;
        let t = spec.defaults();
        assert_eq!(t["days"].as_integer(), Some(30));
        assert!(Typed::<NoParams>::NEW.defaults().is_empty());
        let all = ParamsById::default().with("c", P { days: 1, rate: 1.0 });
        assert_eq!(all.get::<P>("c").days, 1);
        assert_eq!(all.get::<P>("other"), P::default());
    }
}
