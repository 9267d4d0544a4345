module example.com/fortunes

go 1.19
