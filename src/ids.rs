//! Typed row ids: a case id is not a contact id. The store hands these out
//! and takes them back, so that `find_contact(db, case, contact)` cannot
//! be called with the two swapped; pages parse them from their URLs.

/// Declares a `Copy` newtype over the database's `i64` id, with `FromStr`
/// (a page's path segment), `Display`, serde as the bare number, and the
/// conversions the store needs to decode and bind it.
macro_rules! id_type {
    ($( $(#[$meta:meta])* $name:ident; )+) => {$(
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash,
            serde::Serialize, serde::Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl $name {
            /// The number the database stores.
            pub const fn get(self) -> i64 {
                self.0
            }
        }

        impl From<i64> for $name {
            fn from(id: i64) -> Self {
                $name(id)
            }
        }

        impl From<$name> for i64 {
            fn from(id: $name) -> i64 {
                id.0
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.0, f)
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = InvalidId;
            /// A page's path segment: decimal digits, nothing else (no sign,
            /// no spaces), within `i64`.
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(InvalidId);
                }
                s.parse::<i64>().map($name).map_err(|_| InvalidId)
            }
        }
    )+};
}

/// A text that is not an id (not only digits, or too large).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not an id")]
pub struct InvalidId;

id_type! {
    /// A case (`cases.id`).
    CaseId;
    /// A contact listed by a case (`contacts.id`).
    ContactId;
    /// A place or gathering declared by a case (`places.id`).
    PlaceId;
    /// A staff account (`staff_users.id`).
    StaffId;
    /// A message of the SMS outbox (`sms_outbox.id`).
    MessageId;
    /// An SMS received from a case or a contact (`sms_replies.id`).
    ReplyId;
    /// An integration API key (`api_keys.id`).
    ApiKeyId;
    /// An organisation staff belong to (`organisations.id`).
    OrganisationId;
    /// A lend of cases to another organisation (`lends.id`).
    LendId;
    /// A request for help during isolation (`support_requests.id`).
    SupportRequestId;
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn an_id_round_trips_through_its_text_and_json(n in 0i64..=i64::MAX) {
            let id = CaseId(n);
            prop_assert_eq!(id.to_string().parse::<CaseId>(), Ok(id));
            let json = serde_json::to_string(&id).unwrap();
            prop_assert_eq!(&json, &n.to_string());
            prop_assert_eq!(serde_json::from_str::<CaseId>(&json).unwrap(), id);
        }

        #[test]
        fn anything_but_digits_is_not_an_id(s in "\\PC*") {
            let digits_only = !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
            if !digits_only {
                prop_assert!(s.parse::<ContactId>().is_err());
            }
        }
    }

    #[test]
    fn signs_and_spaces_are_refused() {
        for s in ["+1", "-1", " 1", "1 ", "", "1.0", "0x1"] {
            assert!(s.parse::<StaffId>().is_err(), "{s:?}");
        }
        assert_eq!("42".parse::<PlaceId>(), Ok(PlaceId(42)));
        assert_eq!(i64::from(MessageId(7)), 7);
    }
}
