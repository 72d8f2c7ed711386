//! States that AWS names with a word, kept as the word: the `aws_word!` declaration.

/// Declares a state AWS names with a word: one variant per word hiyari knows, and
/// `Other` keeping any word AWS adds later, so a check can tell it apart from the known
/// ones and still show it. It reads and writes as the word itself, so the inventory's
/// JSON is the same as when these were plain strings.
macro_rules! aws_word {
    (
        $(#[$meta:meta])*
        pub enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $word:literal,)+ }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(from = "String", into = "String")]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
            /// A word hiyari does not know, as AWS wrote it.
            Other(String),
        }

        impl $name {
            /// The word, as AWS writes it.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $word,)+
                    Self::Other(w) => w,
                }
            }
        }

        impl From<&str> for $name {
            fn from(w: &str) -> Self {
                match w {
                    $($word => Self::$variant,)+
                    other => Self::Other(other.to_string()),
                }
            }
        }

        impl From<String> for $name {
            fn from(w: String) -> Self {
                match w.as_str() {
                    $($word => Self::$variant,)+
                    _ => Self::Other(w),
                }
            }
        }

        impl From<$name> for String {
            fn from(v: $name) -> String {
                match v {
                    $name::Other(w) => w,
                    known => known.as_str().to_string(),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.as_str() == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }
    };
}

pub(crate) use aws_word;
