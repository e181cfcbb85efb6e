//! Enums with stable machine names.
//!
//! The rules engine speaks to three audiences: rule-set files written by
//! health staff, JSON scenarios on the command line, and the app that
//! translates each name into French or English. All three use the same
//! snake_case machine names, defined once per variant by [`named_enum!`].

/// A machine name that is not one of an enum's variants. The message lists
/// every valid name, so that whoever typed it can correct it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} \"{given}\" (expected one of: {})", valid.join(", "))]
pub struct UnknownName {
    /// What kind of name was expected, e.g. `exposure kind`.
    pub what: &'static str,
    /// The text that was given.
    pub given: String,
    /// Every valid name, in declaration order.
    pub valid: Vec<&'static str>,
}

/// Declares a fieldless enum whose variants have a machine name, with
/// `ALL`, `as_str()`, `Display`, `FromStr` and `TryFrom<String>` (error:
/// [`UnknownName`]) and serde going through those same names.
macro_rules! named_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident : $what:literal {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        $vis enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[ $( $name::$variant, )+ ];

            /// The machine name, as written in rule sets, JSON and catalogues.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => $text, )+
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::names::UnknownName;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s.trim() {
                    $( $text => Ok($name::$variant), )+
                    _ => Err($crate::names::UnknownName {
                        what: $what,
                        given: s.to_owned(),
                        valid: $name::ALL.iter().map(|v| v.as_str()).collect(),
                    }),
                }
            }
        }

        /// A database column holding the machine name (the store decodes
        /// rows through it).
        impl ::std::convert::TryFrom<::std::string::String> for $name {
            type Error = $crate::names::UnknownName;
            fn try_from(text: ::std::string::String) -> Result<Self, Self::Error> {
                text.parse()
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = <::std::string::String as ::serde::Deserialize>::deserialize(d)?;
                text.parse().map_err(::serde::de::Error::custom)
            }
        }
    };
}

pub(crate) use named_enum;
