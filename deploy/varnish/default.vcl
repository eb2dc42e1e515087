vcl 4.1;

# Varnish in front of the CMS: caches anonymous GET answers (GraphQL GET and persisted queries,
# REST, calendars) for their s-maxage, tags each with its Surrogate-Key (xkey vmod, Debian's
# varnish-modules), and forgets exactly the answers that show a changed document when the CMS
# sends `PURGE` with `xkey-purge: <keys>` (CDN_VARNISH_URLS). See docs/operations.md.

import std;
import xkey;

backend default {
    .host = "127.0.0.1";
    .port = "1337";
}

# Who may purge: the CMS instances. Add their addresses.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (!client.ip ~ purgers) {
            return (synth(403, "Not allowed to purge"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "xkey-purge header missing"));
        }
        set req.http.n-gone = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.n-gone + " objects"));
    }
    # Only the public API is cacheable; the admin panel and anything with credentials pass.
    if (req.url !~ "^/(api/|graphql)") {
        return (pass);
    }
    # Cookies do not change a public answer (the CMS reads only Authorization).
    unset req.http.Cookie;
    # Varnish's built-in vcl_recv passes requests with Authorization and non-GET methods.
}

sub vcl_backend_response {
    # The keys of what the answer shows, for xkey.purge.
    if (beresp.http.Surrogate-Key) {
        set beresp.http.xkey = beresp.http.Surrogate-Key;
    }
}

sub vcl_deliver {
    # Varnish's own verdict beside the CMS's X-Cache (its response cache).
    if (obj.hits > 0) {
        set resp.http.X-Varnish-Cache = "HIT";
    } else {
        set resp.http.X-Varnish-Cache = "MISS";
    }
    unset resp.http.xkey;
}
