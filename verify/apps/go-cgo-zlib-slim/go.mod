module example.com/zlibver

go 1.19
