/* This is a generated file, edit the .stub.php file instead.
 * Stub hash: 4cdb2208284a580812c6f47d6385a2b080afac0f */

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_sqauth_hmac_md5, 0, 1, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, data, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, key, IS_STRING, 0, "\'\'")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_sqauth_cram_md5_response, 0, 3, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, username, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, password, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, challenge, IS_STRING, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_sqauth_digest_md5_parse_challenge, 0, 1, IS_ARRAY, 0)
	ZEND_ARG_TYPE_INFO(0, challenge, IS_STRING, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_sqauth_digest_md5_response, 0, 5, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, username, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, password, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, challenge, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, service, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, host, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, authz, IS_STRING, 0, "\'\'")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, options, IS_ARRAY, 0, "[]")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_sqauth_digest_md5_verify, 0, 5, _IS_BOOL, 0)
	ZEND_ARG_TYPE_INFO(0, username, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, password, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, challenge, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, response, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, rspauth, IS_STRING, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_INFO_EX(arginfo_sqauth_imap_login, 0, 0, 4)
	ZEND_ARG_TYPE_INFO(0, host, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, port, IS_LONG, 0)
	ZEND_ARG_TYPE_INFO(0, username, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, password, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, options, IS_ARRAY, 0, "[]")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_INFO_EX(arginfo_sqauth_smtp_login, 0, 0, 4)
	ZEND_ARG_TYPE_INFO(0, host, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, port, IS_LONG, 0)
	ZEND_ARG_TYPE_INFO(0, username, IS_STRING, 1)
	ZEND_ARG_TYPE_INFO(0, password, IS_STRING, 1)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, options, IS_ARRAY, 0, "[]")
ZEND_END_ARG_INFO()

#define arginfo_sqauth_pop3_login arginfo_sqauth_imap_login

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_sqauth_detect, 0, 3, IS_ARRAY, 0)
	ZEND_ARG_TYPE_INFO(0, protocol, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, host, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, port, IS_LONG, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, options, IS_ARRAY, 0, "[]")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_sqauth_stream_info, 0, 1, IS_ARRAY, 0)
	ZEND_ARG_INFO(0, stream)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_sqauth_pool_forget, 0, 1, IS_LONG, 0)
	ZEND_ARG_TYPE_INFO(0, username, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, session_id, IS_STRING, 1, "null")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Sqauth_AuthenticationException_getServerMessage, 0, 0, IS_STRING, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Sqauth_AuthenticationException_getResponseCode, 0, 0, IS_STRING, 1)
ZEND_END_ARG_INFO()

#define arginfo_class_Sqauth_AuthenticationException_getErrorReport arginfo_class_Sqauth_AuthenticationException_getResponseCode

ZEND_BEGIN_ARG_INFO_EX(arginfo_class_Sqauth_SaslClient___construct, 0, 0, 2)
	ZEND_ARG_TYPE_INFO(0, mechanism, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, credentials, IS_ARRAY, 0)
ZEND_END_ARG_INFO()

#define arginfo_class_Sqauth_SaslClient_initialResponse arginfo_class_Sqauth_AuthenticationException_getResponseCode

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Sqauth_SaslClient_step, 0, 1, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, challenge, IS_STRING, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Sqauth_SaslClient_isComplete, 0, 0, _IS_BOOL, 0)
ZEND_END_ARG_INFO()

#define arginfo_class_Sqauth_SaslClient_isServerVerified arginfo_class_Sqauth_SaslClient_isComplete

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Sqauth_SaslClient_wrap, 0, 1, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, data, IS_STRING, 0)
ZEND_END_ARG_INFO()

#define arginfo_class_Sqauth_SaslClient_unwrap arginfo_class_Sqauth_SaslClient_wrap


ZEND_FUNCTION(sqauth_hmac_md5);
ZEND_FUNCTION(sqauth_cram_md5_response);
ZEND_FUNCTION(sqauth_digest_md5_parse_challenge);
ZEND_FUNCTION(sqauth_digest_md5_response);
ZEND_FUNCTION(sqauth_digest_md5_verify);
ZEND_FUNCTION(sqauth_imap_login);
ZEND_FUNCTION(sqauth_smtp_login);
ZEND_FUNCTION(sqauth_pop3_login);
ZEND_FUNCTION(sqauth_detect);
ZEND_FUNCTION(sqauth_stream_info);
ZEND_FUNCTION(sqauth_pool_forget);
ZEND_METHOD(Sqauth_AuthenticationException, getServerMessage);
ZEND_METHOD(Sqauth_AuthenticationException, getResponseCode);
ZEND_METHOD(Sqauth_AuthenticationException, getErrorReport);
ZEND_METHOD(Sqauth_SaslClient, __construct);
ZEND_METHOD(Sqauth_SaslClient, initialResponse);
ZEND_METHOD(Sqauth_SaslClient, step);
ZEND_METHOD(Sqauth_SaslClient, isComplete);
ZEND_METHOD(Sqauth_SaslClient, isServerVerified);
ZEND_METHOD(Sqauth_SaslClient, wrap);
ZEND_METHOD(Sqauth_SaslClient, unwrap);


static const zend_function_entry ext_functions[] = {
	ZEND_FE(sqauth_hmac_md5, arginfo_sqauth_hmac_md5)
	ZEND_FE(sqauth_cram_md5_response, arginfo_sqauth_cram_md5_response)
	ZEND_FE(sqauth_digest_md5_parse_challenge, arginfo_sqauth_digest_md5_parse_challenge)
	ZEND_FE(sqauth_digest_md5_response, arginfo_sqauth_digest_md5_response)
	ZEND_FE(sqauth_digest_md5_verify, arginfo_sqauth_digest_md5_verify)
	ZEND_FE(sqauth_imap_login, arginfo_sqauth_imap_login)
	ZEND_FE(sqauth_smtp_login, arginfo_sqauth_smtp_login)
	ZEND_FE(sqauth_pop3_login, arginfo_sqauth_pop3_login)
	ZEND_FE(sqauth_detect, arginfo_sqauth_detect)
	ZEND_FE(sqauth_stream_info, arginfo_sqauth_stream_info)
	ZEND_FE(sqauth_pool_forget, arginfo_sqauth_pool_forget)
	ZEND_FE_END
};


static const zend_function_entry class_Sqauth_Exception_methods[] = {
	ZEND_FE_END
};


static const zend_function_entry class_Sqauth_ConnectionException_methods[] = {
	ZEND_FE_END
};


static const zend_function_entry class_Sqauth_TlsException_methods[] = {
	ZEND_FE_END
};


static const zend_function_entry class_Sqauth_ProtocolException_methods[] = {
	ZEND_FE_END
};


static const zend_function_entry class_Sqauth_AuthenticationException_methods[] = {
	ZEND_ME(Sqauth_AuthenticationException, getServerMessage, arginfo_class_Sqauth_AuthenticationException_getServerMessage, ZEND_ACC_PUBLIC)
	ZEND_ME(Sqauth_AuthenticationException, getResponseCode, arginfo_class_Sqauth_AuthenticationException_getResponseCode, ZEND_ACC_PUBLIC)
	ZEND_ME(Sqauth_AuthenticationException, getErrorReport, arginfo_class_Sqauth_AuthenticationException_getErrorReport, ZEND_ACC_PUBLIC)
	ZEND_FE_END
};


static const zend_function_entry class_Sqauth_SecurityException_methods[] = {
	ZEND_FE_END
};


static const zend_function_entry class_Sqauth_SaslClient_methods[] = {
	ZEND_ME(Sqauth_SaslClient, __construct, arginfo_class_Sqauth_SaslClient___construct, ZEND_ACC_PUBLIC)
	ZEND_ME(Sqauth_SaslClient, initialResponse, arginfo_class_Sqauth_SaslClient_initialResponse, ZEND_ACC_PUBLIC)
	ZEND_ME(Sqauth_SaslClient, step, arginfo_class_Sqauth_SaslClient_step, ZEND_ACC_PUBLIC)
	ZEND_ME(Sqauth_SaslClient, isComplete, arginfo_class_Sqauth_SaslClient_isComplete, ZEND_ACC_PUBLIC)
	ZEND_ME(Sqauth_SaslClient, isServerVerified, arginfo_class_Sqauth_SaslClient_isServerVerified, ZEND_ACC_PUBLIC)
	ZEND_ME(Sqauth_SaslClient, wrap, arginfo_class_Sqauth_SaslClient_wrap, ZEND_ACC_PUBLIC)
	ZEND_ME(Sqauth_SaslClient, unwrap, arginfo_class_Sqauth_SaslClient_unwrap, ZEND_ACC_PUBLIC)
	ZEND_FE_END
};

static void register_sqauth_symbols(int module_number)
{
	REGISTER_STRING_CONSTANT("SQAUTH_VERSION", PHP_SQAUTH_VERSION, CONST_PERSISTENT);


	zend_add_parameter_attribute(zend_hash_str_find_ptr(CG(function_table), "sqauth_hmac_md5", sizeof("sqauth_hmac_md5") - 1), 1, ZSTR_KNOWN(ZEND_STR_SENSITIVEPARAMETER), 0);

	zend_add_parameter_attribute(zend_hash_str_find_ptr(CG(function_table), "sqauth_cram_md5_response", sizeof("sqauth_cram_md5_response") - 1), 1, ZSTR_KNOWN(ZEND_STR_SENSITIVEPARAMETER), 0);

	zend_add_parameter_attribute(zend_hash_str_find_ptr(CG(function_table), "sqauth_digest_md5_response", sizeof("sqauth_digest_md5_response") - 1), 1, ZSTR_KNOWN(ZEND_STR_SENSITIVEPARAMETER), 0);

	zend_add_parameter_attribute(zend_hash_str_find_ptr(CG(function_table), "sqauth_digest_md5_verify", sizeof("sqauth_digest_md5_verify") - 1), 1, ZSTR_KNOWN(ZEND_STR_SENSITIVEPARAMETER), 0);

	zend_add_parameter_attribute(zend_hash_str_find_ptr(CG(function_table), "sqauth_imap_login", sizeof("sqauth_imap_login") - 1), 3, ZSTR_KNOWN(ZEND_STR_SENSITIVEPARAMETER), 0);

	zend_add_parameter_attribute(zend_hash_str_find_ptr(CG(function_table), "sqauth_imap_login", sizeof("sqauth_imap_login") - 1), 4, ZSTR_KNOWN(ZEND_STR_SENSITIVEPARAMETER), 0);

	zend_add_parameter_attribute(zend_hash_str_find_ptr(CG(function_table), "sqauth_smtp_login", sizeof("sqauth_smtp_login") - 1), 3, ZSTR_KNOWN(ZEND_STR_SENSITIVEPARAMETER), 0);

	zend_add_parameter_attribute(zend_hash_str_find_ptr(CG(function_table), "sqauth_smtp_login", sizeof("sqauth_smtp_login") - 1), 4, ZSTR_KNOWN(ZEND_STR_SENSITIVEPARAMETER), 0);

	zend_add_parameter_attribute(zend_hash_str_find_ptr(CG(function_table), "sqauth_pop3_login", sizeof("sqauth_pop3_login") - 1), 3, ZSTR_KNOWN(ZEND_STR_SENSITIVEPARAMETER), 0);

	zend_add_parameter_attribute(zend_hash_str_find_ptr(CG(function_table), "sqauth_pop3_login", sizeof("sqauth_pop3_login") - 1), 4, ZSTR_KNOWN(ZEND_STR_SENSITIVEPARAMETER), 0);

	zend_add_parameter_attribute(zend_hash_str_find_ptr(CG(function_table), "sqauth_detect", sizeof("sqauth_detect") - 1), 3, ZSTR_KNOWN(ZEND_STR_SENSITIVEPARAMETER), 0);
}

static zend_class_entry *register_class_Sqauth_Exception(zend_class_entry *class_entry_RuntimeException)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Sqauth", "Exception", class_Sqauth_Exception_methods);
	class_entry = zend_register_internal_class_ex(&ce, class_entry_RuntimeException);

	return class_entry;
}

static zend_class_entry *register_class_Sqauth_ConnectionException(zend_class_entry *class_entry_Sqauth_Exception)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Sqauth", "ConnectionException", class_Sqauth_ConnectionException_methods);
	class_entry = zend_register_internal_class_ex(&ce, class_entry_Sqauth_Exception);

	return class_entry;
}

static zend_class_entry *register_class_Sqauth_TlsException(zend_class_entry *class_entry_Sqauth_Exception)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Sqauth", "TlsException", class_Sqauth_TlsException_methods);
	class_entry = zend_register_internal_class_ex(&ce, class_entry_Sqauth_Exception);

	return class_entry;
}

static zend_class_entry *register_class_Sqauth_ProtocolException(zend_class_entry *class_entry_Sqauth_Exception)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Sqauth", "ProtocolException", class_Sqauth_ProtocolException_methods);
	class_entry = zend_register_internal_class_ex(&ce, class_entry_Sqauth_Exception);

	return class_entry;
}

static zend_class_entry *register_class_Sqauth_AuthenticationException(zend_class_entry *class_entry_Sqauth_Exception)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Sqauth", "AuthenticationException", class_Sqauth_AuthenticationException_methods);
	class_entry = zend_register_internal_class_ex(&ce, class_entry_Sqauth_Exception);

	zval property_serverMessage_default_value;
	ZVAL_EMPTY_STRING(&property_serverMessage_default_value);
	zend_string *property_serverMessage_name = zend_string_init("serverMessage", sizeof("serverMessage") - 1, 1);
	zend_declare_typed_property(class_entry, property_serverMessage_name, &property_serverMessage_default_value, ZEND_ACC_PRIVATE, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_STRING));
	zend_string_release(property_serverMessage_name);

	zval property_responseCode_default_value;
	ZVAL_NULL(&property_responseCode_default_value);
	zend_string *property_responseCode_name = zend_string_init("responseCode", sizeof("responseCode") - 1, 1);
	zend_declare_typed_property(class_entry, property_responseCode_name, &property_responseCode_default_value, ZEND_ACC_PRIVATE, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_STRING|MAY_BE_NULL));
	zend_string_release(property_responseCode_name);

	zval property_errorReport_default_value;
	ZVAL_NULL(&property_errorReport_default_value);
	zend_string *property_errorReport_name = zend_string_init("errorReport", sizeof("errorReport") - 1, 1);
	zend_declare_typed_property(class_entry, property_errorReport_name, &property_errorReport_default_value, ZEND_ACC_PRIVATE, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_STRING|MAY_BE_NULL));
	zend_string_release(property_errorReport_name);

	return class_entry;
}

static zend_class_entry *register_class_Sqauth_SecurityException(zend_class_entry *class_entry_Sqauth_Exception)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Sqauth", "SecurityException", class_Sqauth_SecurityException_methods);
	class_entry = zend_register_internal_class_ex(&ce, class_entry_Sqauth_Exception);

	return class_entry;
}

static zend_class_entry *register_class_Sqauth_SaslClient(void)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Sqauth", "SaslClient", class_Sqauth_SaslClient_methods);
	class_entry = zend_register_internal_class_ex(&ce, NULL);
	class_entry->ce_flags |= ZEND_ACC_FINAL|ZEND_ACC_NO_DYNAMIC_PROPERTIES|ZEND_ACC_NOT_SERIALIZABLE;


	zend_add_parameter_attribute(zend_hash_str_find_ptr(&class_entry->function_table, "__construct", sizeof("__construct") - 1), 1, ZSTR_KNOWN(ZEND_STR_SENSITIVEPARAMETER), 0);

	return class_entry;
}
