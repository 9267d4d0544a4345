module example.com/timezones

go 1.19
