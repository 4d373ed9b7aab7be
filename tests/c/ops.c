/* GENERATED from the method table (src/methods.rs) by `cargo run -p xtask -- gen`: do not edit. */
/* ops.c: the operation export table (see ops.h). */
#include "ops.h"

#include <string.h>

#include "json_mini.h"

const struct op OPS[] = {
    {"getatoken", "get_a_token", passteam_get_a_token},
    {"getlisttemplates", "get_list_templates", passteam_get_list_templates},
    {"gettemplate", "get_template", passteam_get_template},
    {"createcard", "create_card", passteam_create_card},
    {"getcard", "get_card", passteam_get_card},
    {"updatecard", "update_card", passteam_update_card},
    {"getcardswithpagination", "get_cards_with_pagination", passteam_get_cards_with_pagination},
    {"checkvariablevalue", "check_variable_value", passteam_check_variable_value},
    {"distribute", "distribute", passteam_distribute},
    {"deletecard", "delete_card", passteam_delete_card},
    {"updatecards", "update_cards", passteam_update_cards},
    {"gettemplates", "get_templates", passteam_get_templates},
    {"getcards", "get_cards", passteam_get_cards},
    {"sendpush", "send_push", passteam_send_push},
    {"getsale", "get_sale", passteam_get_sale},
    {"updatesale", "update_sale", passteam_update_sale},
    {"deletesale", "delete_sale", passteam_delete_sale},
    {"createproduct", "create_product", passteam_create_product},
    {"updateproduct", "update_product", passteam_update_product},
    {"deleteproduct", "delete_product", passteam_delete_product},
    {"listproducts", "list_products", passteam_list_products},
    {"issuecard", "issue_card", passteam_issue_card},
    {"updateclient", "update_client", passteam_update_client},
};

const size_t OPS_COUNT = sizeof OPS / sizeof OPS[0];

const struct op *op_named(const char *name)
{
    size_t i;
    for (i = 0; i < OPS_COUNT; i++)
        if (strcmp(OPS[i].name, name) == 0)
            return &OPS[i];
    return NULL;
}

int op_needs_params(const char *name)
{
    const char *table = passteam_methods_json();
    size_t i;
    size_t j;

    for (i = 0; i < jm_len(table); i++) {
        const char *m = jm_at(table, i);
        const char *params = jm_get(m, "params");
        if (!jm_string_is(jm_get(m, "name"), name))
            continue;
        if (jm_len(jm_get(m, "one_of")) > 0)
            return 1;
        for (j = 0; j < jm_len(params); j++)
            if (jm_bool(jm_get(jm_at(params, j), "required")) == 1)
                return 1;
        return 0;
    }
    return -1;
}
