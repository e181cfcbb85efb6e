//! The console's addresses that several pages link to (the navigation, the
//! supervisors' pages linking each other), and the encoding of a link's
//! query values: one place, so that no page takes them from another.

/// Where the dashboard is, and its CSV.
pub const DASHBOARD_PATH: &str = "/equipe/supervision";

/// Where the clusters of a period are.
pub const CLUSTERS_PATH: &str = "/equipe/supervision/foyers";

/// Where mutual aid is: each fund's backlog, lends and their taking back.
pub const MUTUAL_AID_PATH: &str = "/equipe/supervision/entraide";

/// Where the admin's list of organisations is.
pub const ORGANISATIONS_PATH: &str = "/equipe/admin/organisations";

/// The page asking for the second factor's code after the password.
pub const CODE_PATH: &str = "/equipe/connexion/code";

/// The member's own security page: the second factor's enrolment.
pub const SECURITY_PATH: &str = "/equipe/securite";

/// Where a support cell's members work its requests for help.
pub const SUPPORT_PATH: &str = "/equipe/soutien";

/// Percent-encodes a query value.
pub fn urlencode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
