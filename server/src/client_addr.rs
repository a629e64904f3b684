//! The client's address, for throttling and the audit trail.
//!
//! By default it is the TCP peer, and forwarding headers are ignored: anyone can write them. Behind
//! a load balancer every peer is the balancer, so its address must be named as a trusted proxy
//! (`GUISE_TRUSTED_PROXIES`). Then, and only for requests from such a peer, the address is read from
//! `Forwarded` (RFC 7239) or, without it, `X-Forwarded-For`: walking the chain from the right (the
//! entries our own proxies appended), the first address that is not a trusted proxy is the client.
//! Anything further left was written by the client itself and is not believed.
//!
//! Absent in in-process tests (no TCP peer), where it reads "unknown".

use crate::state::AppState;
use axum::extract::{ConnectInfo, FromRequestParts};
use http::request::Parts;
use http::HeaderMap;
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};

pub struct ClientAddr(pub String);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        // Through the extractor, so that a test's `MockConnectInfo` stands in for the socket.
        let peer = ConnectInfo::<SocketAddr>::from_request_parts(parts, state).await;
        let addr = match peer {
            Ok(ConnectInfo(peer)) => state
                .web
                .trusted_proxies
                .client_of(peer.ip(), &parts.headers)
                .to_string(),
            Err(_) => "unknown".to_owned(),
        };
        Ok(Self(addr))
    }
}

/// The peers allowed to say who their client is: addresses and CIDR ranges.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpRange>);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct IpRange {
    network: IpAddr,
    prefix: u8,
}

impl IpRange {
    fn parse(text: &str) -> Option<Self> {
        let (address, prefix) = match text.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (text, None),
        };
        let network: IpAddr = address.parse().ok()?;
        let bits = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(p) => p.parse::<u8>().ok().filter(|p| *p <= bits)?,
            None => bits,
        };
        Some(Self { network, prefix })
    }

    fn contains(&self, ip: IpAddr) -> bool {
        let (network, ip, bits) = match (self.network, canonical(ip)) {
            (IpAddr::V4(n), IpAddr::V4(i)) => (u32::from(n).into(), u32::from(i).into(), 32),
            (IpAddr::V6(n), IpAddr::V6(i)) => (u128::from(n), u128::from(i), 128),
            _ => return false,
        };
        let host_bits = bits - u32::from(self.prefix);
        let mask = if host_bits >= 128 {
            0
        } else {
            u128::MAX << host_bits
        };
        network & mask == ip & mask
    }
}

/// An IPv4 peer on a dual-stack socket arrives as `::ffff:a.b.c.d`.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

impl TrustedProxies {
    /// `10.0.0.5, 10.1.0.0/16, ::1`: a comma-separated list; empty for none.
    pub fn parse(list: &str) -> Result<Self, String> {
        list.split(',')
            .map(str::trim)
            .filter(|entry| !entry.is_empty())
            .map(|entry| {
                IpRange::parse(entry).ok_or_else(|| {
                    format!("GUISE_TRUSTED_PROXIES: {entry} is not an IP address or CIDR range")
                })
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Self)
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|range| range.contains(ip))
    }

    /// The client behind `peer`: `peer` itself unless it is a trusted proxy that forwarded the
    /// request for someone.
    pub fn client_of(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let peer = canonical(peer);
        if !self.trusts(peer) {
            return peer;
        }
        let mut client = peer;
        for hop in forwarded_chain(headers).into_iter().rev() {
            // An entry that is no address (`unknown`, an obfuscated name, garbage): the proxy that
            // passed it on is as far as we can see.
            let Some(hop) = hop else { return client };
            client = canonical(hop);
            if !self.trusts(client) {
                return client;
            }
        }
        client
    }
}

/// The addresses the request passed through, in order, as the forwarding headers list them: from
/// `Forwarded` when present (RFC 7239 `for=`), else from `X-Forwarded-For`. `None` for an entry
/// that is not an address.
fn forwarded_chain(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    let forwarded: Vec<&str> = headers
        .get_all(http::header::FORWARDED)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    if !forwarded.is_empty() {
        return forwarded
            .iter()
            .flat_map(|v| v.split(','))
            .map(|element| {
                element
                    .split(';')
                    .filter_map(|pair| pair.trim().split_once('='))
                    .find(|(name, _)| name.eq_ignore_ascii_case("for"))
                    .and_then(|(_, node)| node_address(node))
            })
            .collect();
    }
    headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|entry| node_address(entry.trim()))
        .collect()
}

/// `192.0.2.1`, `"192.0.2.1:4711"`, `"[2001:db8::1]:4711"`, `[2001:db8::1]` or `2001:db8::1`.
fn node_address(node: &str) -> Option<IpAddr> {
    let node = node.trim().trim_matches('"');
    if let Some(bracketed) = node.strip_prefix('[') {
        return bracketed.split(']').next()?.parse().ok();
    }
    if let Ok(ip) = node.parse() {
        return Some(ip);
    }
    // IPv4 with a port.
    node.rsplit_once(':')
        .and_then(|(host, _)| host.parse::<std::net::Ipv4Addr>().ok())
        .map(IpAddr::V4)
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_static(value));
        }
        map
    }

    const BALANCER: &str = "10.0.0.5";

    #[test]
    fn without_trusted_proxies_the_headers_are_ignored() {
        let none = TrustedProxies::default();
        let spoofed = headers(&[
            ("x-forwarded-for", "203.0.113.9"),
            ("forwarded", "for=203.0.113.9"),
        ]);
        assert_eq!(none.client_of(ip(BALANCER), &spoofed), ip(BALANCER));
    }

    #[test]
    fn a_peer_that_is_not_trusted_is_the_client_whatever_it_says() {
        let trusted = TrustedProxies::parse(BALANCER).unwrap();
        let spoofed = headers(&[("x-forwarded-for", "203.0.113.9")]);
        assert_eq!(
            trusted.client_of(ip("198.51.100.20"), &spoofed),
            ip("198.51.100.20")
        );
    }

    #[test]
    fn behind_a_trusted_proxy_the_rightmost_untrusted_hop_is_the_client() {
        let trusted = TrustedProxies::parse("10.0.0.0/24, 192.168.1.1").unwrap();
        // The client wrote the first entry itself; our proxies appended the rest.
        let chain = headers(&[("x-forwarded-for", "1.2.3.4, 203.0.113.9, 192.168.1.1")]);
        assert_eq!(trusted.client_of(ip(BALANCER), &chain), ip("203.0.113.9"));
        // Several header lines are one list.
        let split = headers(&[
            ("x-forwarded-for", "1.2.3.4"),
            ("x-forwarded-for", "203.0.113.9"),
        ]);
        assert_eq!(trusted.client_of(ip(BALANCER), &split), ip("203.0.113.9"));
        // No header at all: the proxy is the client.
        assert_eq!(
            trusted.client_of(ip(BALANCER), &HeaderMap::new()),
            ip(BALANCER)
        );
    }

    #[test]
    fn forwarded_is_preferred_and_read_with_ports_quotes_and_brackets() {
        let trusted = TrustedProxies::parse(BALANCER).unwrap();
        let both = headers(&[
            ("x-forwarded-for", "198.51.100.1"),
            (
                "forwarded",
                "for=1.2.3.4, for=\"[2001:db8::7]:4711\";proto=https",
            ),
        ]);
        assert_eq!(trusted.client_of(ip(BALANCER), &both), ip("2001:db8::7"));
        let with_port = headers(&[("forwarded", "proto=https;for=\"203.0.113.9:5000\"")]);
        assert_eq!(
            trusted.client_of(ip(BALANCER), &with_port),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn an_entry_that_is_no_address_stops_at_the_proxy_that_passed_it() {
        let trusted = TrustedProxies::parse("10.0.0.0/8").unwrap();
        let obfuscated = headers(&[("forwarded", "for=_hidden, for=10.0.0.9")]);
        assert_eq!(trusted.client_of(ip(BALANCER), &obfuscated), ip("10.0.0.9"));
        let garbage = headers(&[("x-forwarded-for", "not-an-ip")]);
        assert_eq!(trusted.client_of(ip(BALANCER), &garbage), ip(BALANCER));
    }

    #[test]
    fn ranges_match_by_prefix_and_mapped_ipv4_counts_as_ipv4() {
        let trusted = TrustedProxies::parse("10.1.0.0/16, fd00::/8").unwrap();
        assert!(trusted.trusts(ip("10.1.200.3")));
        assert!(!trusted.trusts(ip("10.2.0.1")));
        assert!(trusted.trusts(ip("fd12::1")));
        assert!(trusted.trusts(canonical(ip("::ffff:10.1.0.1"))));
        assert!(TrustedProxies::parse("0.0.0.0/0")
            .unwrap()
            .trusts(ip("8.8.8.8")));
    }

    #[test]
    fn a_bad_entry_is_refused_with_its_text() {
        for bad in ["10.0.0.0/33", "proxy.internal", "10.0.0.1/x", "::1/129"] {
            let error = TrustedProxies::parse(bad).unwrap_err();
            assert!(error.contains(bad), "{error}");
        }
        assert_eq!(
            TrustedProxies::parse(" , ").unwrap(),
            TrustedProxies::default()
        );
    }
}
