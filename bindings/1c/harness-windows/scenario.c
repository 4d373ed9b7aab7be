/*
 * scenario.c: the vendor's 1C integration (ИнформационныеКарты.ПередЗаписью, БонусныеБаллы.ПриЗаписи)
 * through the component on Windows, against the Linux sandbox: issue a card (Cyrillic and emoji both
 * ways), update it, push the balance, issue again (found, not duplicated), the vendor's 409 raised
 * through AddError, and the same with ВызыватьИсключения = Ложь.
 */
#include "scenario.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOYALTY "5e424c181dbf0d537c8b4569"
#define PHONE "+79161234567"
/* "Иван Петров 🎉" in UTF-8: Cyrillic and a character outside the BMP (a UTF-16 surrogate pair). */
#define NAME "\xd0\x98\xd0\xb2\xd0\xb0\xd0\xbd \xd0\x9f\xd0\xb5\xd1\x82\xd1\x80\xd0\xbe\xd0\xb2 \xf0\x9f\x8e\x89"

static int contains(const char *haystack, const char *needle)
{
    return haystack && strstr(haystack, needle) != NULL;
}

/* The string value of the first "key":"..." in a JSON text, into out ("" when absent). */
static void json_string(const char *json, const char *key, char *out, size_t size)
{
    char pattern[64];
    const char *at;
    size_t n = 0;
    snprintf(pattern, sizeof pattern, "\"%s\":\"", key);
    out[0] = '\0';
    at = json ? strstr(json, pattern) : NULL;
    if (!at)
        return;
    at += strlen(pattern);
    while (at[n] && at[n] != '"' && n + 1 < size)
        n++;
    memcpy(out, at, n);
    out[n] = '\0';
}

void test_names(Component *c)
{
    char *english, *russian;
    long num = find_method(c, "ВыдатьКарту");
    CHECK(num >= 0 && num == find_method(c, "IssueCard") && num == find_method(c, "выдатькарту"));
    english = method_name(c, num, 0);
    russian = method_name(c, num, 1);
    CHECK_MSG(strcmp(english, "IssueCard") == 0, english);
    CHECK_MSG(strcmp(russian, "ВыдатьКарту") == 0, russian);
    free(english);
    free(russian);
    CHECK(find_prop(c, "Настройки") >= 0 && find_prop(c, "Настройки") == find_prop(c, "Settings"));
    CHECK(find_method(c, "НетТакогоМетода") == -1);
}

void test_scenario(Component *c, FakePlatform *platform, const char *base_url, const char *token)
{
    char settings[512], params[1024], card_id[64], message[160];
    const char *args[3] = {NULL, NULL, NULL};
    Result r;
    int errors_before;

    /* Компонента.Настройки = ...; reading it back masks the token. */
    snprintf(settings, sizeof settings, "{\"token\": \"%s\", \"base_url\": \"%s\", \"retry_base_delay_ms\": 10}",
             token, base_url);
    CHECK(set_prop_text(c, "Настройки", settings));
    r = get_prop(c, "Settings");
    CHECK_MSG(r.ok && contains(r.text, "\"token\":\"***\"") && !contains(r.text, token), r.text);
    result_free(&r);

    /* ПередЗаписью of a new card: issue it. */
    snprintf(params, sizeof params,
             "{\"templateId\": \"" LOYALTY "\", \"values\": {\"CLIENT_NAME\": \"" NAME "\", \"PHONE\": \"" PHONE
             "\", \"BONUS\": 0}}");
    args[0] = params;
    r = call(c, "ВыдатьКарту", args);
    CHECK_MSG(r.ok && r.vt == VTYPE_PWSTR && r.nul_terminated, r.text);
    CHECK_MSG(contains(r.text, "\"created\":true"), r.text);
    CHECK_MSG(contains(r.text, NAME), r.text);
    json_string(r.text, "cardId", card_id, sizeof card_id);
    CHECK_MSG(strlen(card_id) == 24, card_id);
    result_free(&r);
    printf("issued card %s to %s\n", card_id, NAME);

    /* ПередЗаписью of a known card: update it. */
    snprintf(params, sizeof params, "{\"cardId\": \"%s\", \"values\": {\"EMAIL\": \"ivan@example.org\"}}", card_id);
    r = call(c, "ОбновитьКарту", args);
    CHECK_MSG(r.ok && contains(r.text, "ivan@example.org"), r.text);
    result_free(&r);

    /* БонусныеБаллы.ПриЗаписи: push the balance, found by phone. */
    snprintf(params, sizeof params,
             "{\"templateId\": \"" LOYALTY "\", \"find\": {\"PHONE\": \"" PHONE "\"}, \"values\": {\"BONUS\": 150}}");
    r = call(c, "ОбновитьКлиента", args);
    CHECK_MSG(r.ok, r.text);
    result_free(&r);
    snprintf(params, sizeof params, "{\"cardId\": \"%s\"}", card_id);
    r = call(c, "ПолучитьКарту", args);
    CHECK_MSG(r.ok && contains(r.text, "\"%BONUS%\":\"150\"") && contains(r.text, NAME), r.text);
    result_free(&r);
    printf("bonus balance updated to 150\n");

    /* Issuing again finds the same card. */
    snprintf(params, sizeof params,
             "{\"templateId\": \"" LOYALTY "\", \"values\": {\"CLIENT_NAME\": \"" NAME "\", \"PHONE\": \"" PHONE "\"}}");
    r = call(c, "IssueCard", args);
    CHECK_MSG(r.ok && contains(r.text, "\"created\":false") && contains(r.text, card_id), r.text);
    result_free(&r);

    /* The vendor's 409: СоздатьКарту with a taken phone raises an exception with Passteam's message. */
    errors_before = platform->errors;
    snprintf(params, sizeof params, "{\"templateId\": \"" LOYALTY "\", \"values\": {\"PHONE\": \"" PHONE "\"}}");
    r = call(c, "СоздатьКарту", args);
    CHECK(!r.ok && r.vt == VTYPE_EMPTY);
    result_free(&r);
    CHECK(platform->errors == errors_before + 1);
    CHECK_MSG(strcmp(platform->last_source, "Passteam") == 0, platform->last_source);
    CHECK(platform->last_code == ADDIN_E_VERY_IMPORTANT);
    CHECK(platform->last_scode < 0); /* a failing HRESULT: the platform raises */
    CHECK_MSG(contains(platform->last_description, "Provided value (" PHONE ") of field (%PHONE%) is duplicated"),
              platform->last_description);
    CHECK_MSG(contains(platform->last_description, card_id), platform->last_description);
    printf("409 raised through AddError: %.100s\n", platform->last_description);
    r = get_prop(c, "КодОшибки");
    CHECK(r.ok && r.vt == VTYPE_I4 && r.i4 == 8);
    result_free(&r);
    r = get_prop(c, "ПоследняяОшибка");
    CHECK_MSG(contains(r.text, "PASSTEAM_ERR_CONFLICT") && contains(r.text, "\"http_status\":409"), r.text);
    result_free(&r);

    /* ВызыватьИсключения = Ложь: the same failure returns Неопределено and raises nothing. */
    CHECK(set_prop_bool(c, "ВызыватьИсключения", false));
    errors_before = platform->errors;
    r = call(c, "CreateCard", args);
    CHECK(r.ok && r.vt == VTYPE_EMPTY);
    result_free(&r);
    CHECK(platform->errors == errors_before);
    r = get_prop(c, "ErrorCode");
    snprintf(message, sizeof message, "ErrorCode %d", (int)r.i4);
    CHECK_MSG(r.i4 == 8, message);
    result_free(&r);
    CHECK(set_prop_bool(c, "RaiseExceptions", true));

    /* A success clears the error. */
    r = call(c, "ПолучитьСписокШаблонов", NULL);
    CHECK(r.ok && contains(r.text, LOYALTY));
    result_free(&r);
    r = get_prop(c, "КодОшибки");
    CHECK(r.i4 == 0);
    result_free(&r);
}
