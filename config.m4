dnl config.m4 for the sqauth extension

PHP_ARG_ENABLE([sqauth],
  [whether to enable sqauth (native IMAP/SMTP/POP3 authentication)],
  [AS_HELP_STRING([--disable-sqauth], [Disable sqauth])],
  [yes])

PHP_ARG_WITH([sqauth-libidn],
  [whether sqauth should use libidn for SASLprep],
  [AS_HELP_STRING([--without-sqauth-libidn],
    [sqauth: build without libidn; SCRAM then accepts only ASCII user names and passwords])],
  [yes],
  [no])

if test "$PHP_SQAUTH" != "no"; then
  dnl PHP 8.2 is the oldest supported: #[\SensitiveParameter] hides secrets in traces from 8.2 on
  AC_MSG_CHECKING([for PHP 8.2 or later])
  if test -z "$PHP_VERSION_ID" && test -n "$PHP_CONFIG"; then
    dnl a phpize build: ask php-config (an in-tree build of PHP sets both)
    PHP_VERSION_ID=`$PHP_CONFIG --vernum 2>/dev/null`
    PHP_VERSION=`$PHP_CONFIG --version 2>/dev/null`
  fi
  if test -z "$PHP_VERSION_ID" || test "$PHP_VERSION_ID" -lt 80200; then
    AC_MSG_ERROR([sqauth needs PHP 8.2 or later (this is PHP ${PHP_VERSION:-of unknown version}): older releases cannot keep passwords out of stack traces])
  fi
  AC_MSG_RESULT([yes, $PHP_VERSION])

  PHP_SETUP_OPENSSL(SQAUTH_SHARED_LIBADD, [], [
    AC_MSG_ERROR([sqauth needs OpenSSL 3 (pkg-config openssl); on Debian: apt-get install libssl-dev])
  ])

  AC_MSG_CHECKING([for OpenSSL 3.0 or later])
  old_CPPFLAGS=$CPPFLAGS
  CPPFLAGS="$CPPFLAGS $OPENSSL_CFLAGS"
  AC_COMPILE_IFELSE([AC_LANG_PROGRAM([[#include <openssl/opensslv.h>]], [[
#if OPENSSL_VERSION_MAJOR < 3
#error OpenSSL 3 required
#endif
  ]])], [AC_MSG_RESULT([yes])], [AC_MSG_ERROR([sqauth needs OpenSSL 3.0 or later])])
  CPPFLAGS=$old_CPPFLAGS

  SQAUTH_CFLAGS="-DZEND_ENABLE_STATIC_TSRMLS_CACHE=1 -fvisibility=hidden"

  if test "$PHP_SQAUTH_LIBIDN" != "no"; then
    PKG_CHECK_MODULES([LIBIDN], [libidn], [
      PHP_EVAL_LIBLINE($LIBIDN_LIBS, SQAUTH_SHARED_LIBADD)
      PHP_EVAL_INCLINE($LIBIDN_CFLAGS)
      SQAUTH_CFLAGS="$SQAUTH_CFLAGS -DHAVE_LIBIDN"
    ], [
      AC_MSG_ERROR([libidn not found (apt-get install libidn-dev), or configure --without-sqauth-libidn])
    ])
  fi

  SQAUTH_CORE="src/util/alloc.c src/util/buf.c src/util/base64.c src/util/error.c src/util/clock.c src/util/ascii.c \
    src/sasl/crypto.c src/sasl/qop.c src/sasl/sasl.c src/sasl/saslprep.c src/sasl/seclayer.c \
    src/sasl/mech_simple.c src/sasl/mech_digest.c src/sasl/digest_parse.c src/sasl/mech_scram.c \
    src/net/tcp.c src/net/tls.c src/net/tls_cache.c src/net/tls_facts.c src/net/io.c \
    src/proto/login.c src/proto/driver.c src/proto/imap.c src/proto/smtp.c src/proto/pop3.c src/proto/wtrack.c src/pool/pool.c"

  PHP_NEW_EXTENSION(sqauth, [sqauth.c sqauth_exceptions.c sqauth_options.c sqauth_sasl.c sqauth_client.c sqauth_login.c sqauth_stream.c sqauth_report.c sqauth_pool.c \
    $SQAUTH_CORE], $ext_shared,, $SQAUTH_CFLAGS)
  PHP_ADD_BUILD_DIR([$ext_builddir/src/util])
  PHP_ADD_BUILD_DIR([$ext_builddir/src/sasl])
  PHP_ADD_BUILD_DIR([$ext_builddir/src/net])
  PHP_ADD_BUILD_DIR([$ext_builddir/src/proto])
  PHP_ADD_BUILD_DIR([$ext_builddir/src/pool])
  PHP_SUBST(SQAUTH_SHARED_LIBADD)
fi
