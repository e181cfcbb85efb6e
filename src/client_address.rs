//! Who is asking, for the per-address rate limits: behind a reverse proxy
//! (every https deployment has one: Relais serves no TLS) the TCP peer is
//! the proxy, and every client would share one bucket. From the proxies the
//! operator trusts (`RELAIS_TRUSTED_PROXIES`, addresses or CIDR blocks), the
//! client is the right-most address of `X-Forwarded-For` that is not itself
//! a trusted proxy; from anyone else the header is ignored (it is the
//! client's to forge). IPv6 clients are grouped by /64, the block one
//! subscriber usually holds.

use std::net::{IpAddr, Ipv6Addr};

/// An address block: an address and a prefix length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Block {
    base: IpAddr,
    prefix: u8,
}

impl Block {
    fn contains(&self, ip: IpAddr) -> bool {
        match (self.base, unmap(ip)) {
            (IpAddr::V4(base), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(base) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(base), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(base) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

/// The proxies whose `X-Forwarded-For` is believed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<Block>);

/// A `RELAIS_TRUSTED_PROXIES` entry that is not an address or a block.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not an IP address or a CIDR block (10.0.0.0/8, 127.0.0.1, ::1)")]
pub struct BadProxy(pub String);

impl TrustedProxies {
    /// Reads a list separated by commas or spaces: `10.0.0.0/8, ::1`.
    /// Empty: no proxy is trusted.
    pub fn parse(text: &str) -> Result<TrustedProxies, BadProxy> {
        let mut blocks = Vec::new();
        for entry in text
            .split([',', ' ', '\t'])
            .map(str::trim)
            .filter(|e| !e.is_empty())
        {
            let bad = || BadProxy(entry.to_owned());
            let (address, prefix) = match entry.split_once('/') {
                Some((a, p)) => (a, Some(p)),
                None => (entry, None),
            };
            let base = unmap(address.parse::<IpAddr>().map_err(|_| bad())?);
            let max = if base.is_ipv4() { 32 } else { 128 };
            let prefix = match prefix {
                None => max,
                Some(p) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => {
                    p.parse::<u8>().ok().filter(|p| *p <= max).ok_or_else(bad)?
                }
                Some(_) => return Err(bad()),
            };
            blocks.push(Block { base, prefix });
        }
        Ok(TrustedProxies(blocks))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|b| b.contains(ip))
    }

    /// The client behind `peer`: the peer itself unless it is a trusted
    /// proxy; then the right-most `X-Forwarded-For` address (across every
    /// header given, in order) that is not a trusted proxy. A malformed
    /// entry stops the walk at the last hop known good.
    pub fn client(&self, peer: IpAddr, forwarded_for: &[&str]) -> IpAddr {
        let mut client = unmap(peer);
        if !self.trusts(client) {
            return client;
        }
        let hops: Vec<&str> = forwarded_for
            .iter()
            .flat_map(|h| h.split(','))
            .map(str::trim)
            .collect();
        for hop in hops.iter().rev() {
            match hop.parse::<IpAddr>().map(unmap) {
                Ok(ip) => {
                    client = ip;
                    if !self.trusts(ip) {
                        return ip;
                    }
                }
                Err(_) => return client,
            }
        }
        client
    }
}

/// An IPv4 address written as IPv6 (`::ffff:192.0.2.1`) as the IPv4 one.
fn unmap(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6
            .to_ipv4_mapped()
            .map(IpAddr::V4)
            .unwrap_or(IpAddr::V6(v6)),
        v4 => v4,
    }
}

/// The key of a client in the rate limits: an IPv4 address as it is, an
/// IPv6 one by its /64 (`2001:db8:1:2::/64`).
pub fn rate_key(ip: IpAddr) -> String {
    match unmap(ip) {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let block = Ipv6Addr::from(u128::from(v6) & (u128::MAX << 64));
            format!("{block}/64")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::net::Ipv4Addr;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn lists_parse_and_refuse_what_is_not_an_address() {
        let t = TrustedProxies::parse("10.0.0.0/8, 127.0.0.1 ::1,fd00::/8").unwrap();
        assert!(t.trusts(ip("10.1.2.3")) && t.trusts(ip("127.0.0.1")) && t.trusts(ip("::1")));
        assert!(t.trusts(ip("fd12::5")) && !t.trusts(ip("11.0.0.1")) && !t.trusts(ip("::2")));
        assert!(t.trusts(ip("::ffff:10.0.0.9")), "an IPv4 written as IPv6");
        assert!(TrustedProxies::parse("").unwrap().is_empty());
        for bad in [
            "10.0.0.0/33",
            "localhost",
            "10.0.0.0/",
            "10.0.0.0/x",
            "::1/129",
            "1.2.3",
        ] {
            assert_eq!(
                TrustedProxies::parse(bad),
                Err(BadProxy(bad.to_owned())),
                "{bad}"
            );
        }
    }

    #[test]
    fn the_header_counts_only_from_a_trusted_proxy() {
        let none = TrustedProxies::default();
        assert_eq!(
            none.client(ip("10.0.0.2"), &["203.0.113.5"]),
            ip("10.0.0.2")
        );
        let t = TrustedProxies::parse("10.0.0.0/8").unwrap();
        // A stranger's forged header is ignored.
        assert_eq!(
            t.client(ip("198.51.100.7"), &["203.0.113.5"]),
            ip("198.51.100.7")
        );
        // Behind the proxy: the right-most address that is not a proxy.
        assert_eq!(
            t.client(ip("10.0.0.2"), &["203.0.113.5"]),
            ip("203.0.113.5")
        );
        assert_eq!(
            t.client(ip("10.0.0.2"), &["1.1.1.1, 203.0.113.5, 10.0.0.3"]),
            ip("203.0.113.5"),
            "what the client wrote on the left is not believed"
        );
        assert_eq!(
            t.client(ip("10.0.0.2"), &["1.1.1.1", "203.0.113.5"]),
            ip("203.0.113.5")
        );
        assert_eq!(
            t.client(ip("10.0.0.2"), &["10.0.0.9"]),
            ip("10.0.0.9"),
            "all proxies"
        );
        assert_eq!(t.client(ip("10.0.0.2"), &[]), ip("10.0.0.2"));
        assert_eq!(
            t.client(ip("10.0.0.2"), &["junk, 10.0.0.4"]),
            ip("10.0.0.4")
        );
    }

    #[test]
    fn ipv6_clients_are_grouped_by_64() {
        assert_eq!(rate_key(ip("2001:db8:1:2:aaaa::1")), "2001:db8:1:2::/64");
        assert_eq!(rate_key(ip("2001:db8:1:2:bbbb::9")), "2001:db8:1:2::/64");
        assert_ne!(rate_key(ip("2001:db8:1:3::1")), "2001:db8:1:2::/64");
        assert_eq!(rate_key(ip("203.0.113.5")), "203.0.113.5");
        assert_eq!(rate_key(ip("::ffff:203.0.113.5")), "203.0.113.5");
    }

    proptest! {
        #[test]
        fn an_untrusted_peer_is_always_the_client(a in any::<u32>(), header in ".{0,40}") {
            let t = TrustedProxies::parse("10.0.0.0/8").unwrap();
            let peer = IpAddr::V4(Ipv4Addr::from(a));
            prop_assume!(!t.trusts(peer));
            prop_assert_eq!(t.client(peer, &[header.as_str()]), peer);
        }

        #[test]
        fn the_client_is_never_a_trusted_proxy_when_one_is_named(client in any::<u32>()) {
            let t = TrustedProxies::parse("10.0.0.0/8").unwrap();
            let client = IpAddr::V4(Ipv4Addr::from(client));
            prop_assume!(!t.trusts(client));
            let header = format!("{client}, 10.0.0.7");
            prop_assert_eq!(t.client(ip("10.0.0.1"), &[header.as_str()]), client);
        }
    }
}
