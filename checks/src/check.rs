//! The [`Check`] trait and the [`check!`] declaration: what a check is, given its
//! metadata ([`crate::meta`]) and the inventory it reads.

use crate::finding::{Finding, FindingBuilder, Resource};
use crate::inventory::{AccountInventory, CollectError, RegionInventory};
pub use crate::meta::{CheckMeta, Doc, Scope, DOC_SECTIONS};
use crate::needs::Needs;
use crate::options::EvalOptions;
use crate::params::{NoParams, ParamsById, ParamsSpec, Typed};
pub use crate::source::{is_read_only_action, Source};

/// Declares a check: its struct, whose doc comment is the check's documentation
/// ([`Doc`]: it becomes the struct's `DOC` constant), its metadata (the static `META`, a
/// [`CheckMeta`]) and its settings (the struct `Params`, with its defaults and the
/// `Deserialize` that `[checks.<id>]` goes through), when it has any. The check then
/// implements only [`Check::evaluate`].
///
/// ```text
/// crate::check! {
///     /// Fails when ...
///     pub struct MyCheck;
///     id: "my-check",
///     title: "What passing means, in a line",
///     severity: High,                  // a Severity variant
///     scope: Region,                   // a Scope variant
///     incidents: [LEAKED_ROOT_KEY],    // constants of checks::incidents
///     sources: [SecurityGroups],       // Source variants
///     params {                         // when it has settings
///         /// What the setting does.
///         pub max_age_days: u32 = 30,
///     }
/// }
/// ```
#[macro_export]
macro_rules! check {
    (
        $(#[doc = $doc:literal])*
        $vis:vis struct $name:ident;
        id: $id:literal,
        title: $title:literal,
        severity: $severity:ident,
        scope: $scope:ident,
        incidents: [$($incident:ident),* $(,)?],
        sources: [$($source:ident),* $(,)?],
        $(params {
            $($(#[$field_attr:meta])* pub $field:ident: $field_ty:ty = $default:expr),* $(,)?
        })?
    ) => {
        $(#[doc = $doc])*
        $vis struct $name;

        impl $name {
            /// This check's documentation, as written above.
            pub const DOC: &'static str = concat!($($doc, "\n"),*);
        }

        /// This check's metadata.
        pub static META: $crate::meta::CheckMeta = $crate::meta::CheckMeta {
            id: $id,
            title: $title,
            severity: $crate::severity::Severity::$severity,
            scope: $crate::meta::Scope::$scope,
            incidents: &[$($crate::checks::incidents::$incident),*],
            sources: &[$($crate::source::Source::$source),*],
            doc: $crate::meta::Doc::new($name::DOC),
        };

        $(
            #[doc = concat!("`[checks.", $id, "]`: this check's settings.")]
            #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
            #[serde(deny_unknown_fields, default)]
            pub struct Params {
                $($(#[$field_attr])* pub $field: $field_ty,)*
            }

            impl Default for Params {
                fn default() -> Self {
                    Params { $($field: $default,)* }
                }
            }
        )?

        impl $crate::check::Declared for $name {
            fn meta(&self) -> &'static $crate::meta::CheckMeta {
                &META
            }
            $crate::check!(@params $(params { $($field)* })?);
        }
    };
    (@params) => {};
    (@params params { $($field:ident)* }) => {
        fn params(&self) -> &'static dyn $crate::params::ParamsSpec {
            &$crate::params::Typed::<Params>::NEW
        }
    };
}

/// What a check declares, written by [`check!`]: its metadata and its parameters.
pub trait Declared {
    fn meta(&self) -> &'static CheckMeta;
    /// The check's own parameters (`[checks.<id>]` besides `enabled` and `severity`):
    /// none unless the check names its `Params` in [`check!`].
    fn params(&self) -> &'static dyn ParamsSpec {
        &Typed::<NoParams>::NEW
    }
}

/// A check: a pure function from one account's inventory to findings.
pub trait Check: Declared + Sync + Send {
    fn evaluate(&self, cx: &Cx) -> Vec<Finding>;

    /// What the collection must know besides the check's sources, given the check's
    /// settings in force (the days of cost to read): none unless the check says.
    fn widen(&self, _needs: &mut Needs, _params: &ParamsById) {}
}

/// What one check evaluates: one account's inventory and the options in force, with a
/// [`FindingBuilder`] ready for this check and account.
pub struct Cx<'a> {
    pub account: &'a AccountInventory,
    pub opts: &'a EvalOptions,
    pub b: FindingBuilder<'a>,
}

impl<'a> Cx<'a> {
    pub fn new(
        meta: &'static CheckMeta,
        account: &'a AccountInventory,
        opts: &'a EvalOptions,
    ) -> Self {
        Cx {
            account,
            opts,
            b: FindingBuilder::new(
                meta,
                &account.identity.account_id,
                &account.identity.partition,
            ),
        }
    }

    /// This check's parameters in force: as configured, else the defaults of `P` (the
    /// check's `Params`).
    pub fn params<P: Clone + Default + 'static>(&self) -> P {
        self.opts.params(self.b.meta().id)
    }

    /// Runs `f` once for the account, with its inventory. An `Err` from `f` (a source that
    /// could not be read) becomes the account's one `error` finding: never a silent pass.
    pub fn account_wide(
        &self,
        f: impl FnOnce(&'a AccountInventory) -> Result<Vec<Finding>, CollectError>,
    ) -> Vec<Finding> {
        f(self.account).unwrap_or_else(|e| vec![self.b.error(None, self.b.account_resource(), &e)])
    }

    /// Runs `f` once per scanned region with that region's inventory. An `Err` from `f`
    /// (a source of the region that could not be read) becomes the region's one `error`
    /// finding, and a scanned region with no inventory at all is an error naming
    /// `source`'s API:
    /// never a silent skip.
    pub fn per_region(
        &self,
        source: Source,
        mut f: impl FnMut(&str, &RegionInventory) -> Result<Vec<Finding>, CollectError>,
    ) -> Vec<Finding> {
        let mut out = Vec::new();
        for region in &self.account.regions.scanned {
            let found = match self.account.regional.get(region) {
                Some(inv) => f(region, inv),
                None => Err(CollectError::new(
                    source.api(),
                    "NotCollected",
                    "no data was collected in this region",
                )),
            };
            match found {
                Ok(found) => out.extend(found),
                Err(e) => out.push(self.b.error(Some(region), Resource::region(region), &e)),
            }
        }
        out
    }
}
