wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer Fw3tEXVENJDn57cKPNnW0q2R41G-NQDDxyAZWYYDSCc"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [==[{"kind":"letter","form":{"letterType":"administrative","persons":[{"name":"张瑞雪","title":"科长","idNumber":"2301**********2026"}],"destination":"黑龙江省科学技术厅","matter":"联系项目申报事宜","validDays":7,"important":false}}]==]