wrk.method = "GET"
wrk.headers["Authorization"] = "Bearer Fw3tEXVENJDn57cKPNnW0q2R41G-NQDDxyAZWYYDSCc"