# A native gem of this case's own: a C extension that links libpq (the pg gem's shape, without rubygems.org).
Gem::Specification.new do |s|
  s.name = "pqversion"
  s.version = "0.1.0"
  s.summary = "The version of the libpq it links"
  s.authors = ["slimfile"]
  s.license = "MIT"
  s.files = ["lib/pqversion.rb", "ext/pqversion/extconf.rb", "ext/pqversion/pqversion.c"]
  s.extensions = ["ext/pqversion/extconf.rb"]
  s.require_paths = ["lib"]
end
