//! Where a case, a contact and a message stand, as the database stores
//! them (`cases.status`, `contacts.status`, `sms_outbox.status`): enums
//! for the pages to compare, never strings.

use crate::names::named_enum;

named_enum! {
    /// Where a case stands.
    pub enum CaseStatus: "case status" {
        /// Created (lab feed, import, a contact who tested positive); the
        /// case has not opened their link yet.
        New = "new",
        /// The case has started their declaration.
        Declaring = "declaring",
        /// The case sent their lists.
        Submitted = "submitted",
        /// A tracer works on the case.
        InProgress = "in_progress",
        /// Closed: nothing more may change.
        Closed = "closed",
    }
}

named_enum! {
    /// Where a listed contact stands.
    pub enum ContactStatus: "contact status" {
        /// Listed by the case (or a tracer), not yet reviewed.
        Declared = "declared",
        /// A tracer validated the list it is on.
        Validated = "validated",
        /// A tracer set it aside.
        Rejected = "rejected",
    }
}

named_enum! {
    /// Where a message of the SMS outbox stands.
    pub enum SmsStatus: "SMS status" {
        /// Waiting for the worker.
        Pending = "pending",
        /// Claimed by a worker, being sent.
        Sending = "sending",
        /// The gateway accepted it.
        Sent = "sent",
        /// Given up after the last attempt.
        Failed = "failed",
        /// Withdrawn before it was sent.
        Cancelled = "cancelled",
        /// Never sent: the number opted out (STOP).
        OptedOut = "opted_out",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_reads_back_from_its_stored_name() {
        for s in CaseStatus::ALL {
            assert_eq!(CaseStatus::try_from(s.as_str().to_owned()), Ok(*s));
        }
        for s in ContactStatus::ALL {
            assert_eq!(ContactStatus::try_from(s.as_str().to_owned()), Ok(*s));
        }
        for s in SmsStatus::ALL {
            assert_eq!(SmsStatus::try_from(s.as_str().to_owned()), Ok(*s));
        }
        assert!(CaseStatus::try_from("archived".to_owned()).is_err());
    }

    /// The names are the ones the migrations' CHECK constraints allow.
    #[test]
    fn the_names_match_the_schema() {
        let schema = include_str!("../migrations/sqlite/20261122000001_initial.sql");
        for s in CaseStatus::ALL {
            assert!(schema.contains(&format!("'{}'", s.as_str())), "{s}");
        }
        for s in ContactStatus::ALL {
            assert!(schema.contains(&format!("'{}'", s.as_str())), "{s}");
        }
        let replies = include_str!("../migrations/sqlite/20261202000007_replies.sql");
        for s in SmsStatus::ALL {
            assert!(replies.contains(&format!("'{}'", s.as_str())), "{s}");
        }
    }
}
