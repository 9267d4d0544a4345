#include <ruby.h>
#include <libpq-fe.h>

/* PqVersion.libpq_version: the version of the libpq the extension runs with (150018 for 15.18). */
static VALUE libpq_version(VALUE self) {
    (void)self;
    return INT2NUM(PQlibVersion());
}

void Init_pqversion(void) {
    VALUE m = rb_define_module("PqVersion");
    rb_define_module_function(m, "libpq_version", libpq_version, 0);
}
