"""Labels of the person index's codes as the person pages show them: how a record was
linked, the officers' verdicts, and the comparisons that explain a link (the fields and
the levels of ``identity/model.py``), as English message ids marked for the catalogues."""

from __future__ import annotations

from lindungi.web.i18n import N_

METHODS = {
    "model": N_("linked by the model"),
    "judgement": N_("linked by an officer's judgement"),
    "alone": N_("not linked to another record"),
}
VERDICTS = {"same": N_("the same person"), "different": N_("different people")}

#: The comparisons of the linkage model (``identity/model.py``), by output column.
FIELDS = {
    "name": N_("name"),
    "father": N_("father's name"),
    "birth_date": N_("birth date"),
    "national_id": N_("NIK or other national id"),
    "passport": N_("passport"),
    "phone": N_("phone"),
    "sex": N_("sex"),
    "city": N_("city"),
    "address": N_("address"),
    "postcode": N_("postcode"),
}

#: The levels a comparison reaches, as ``identity/model.py`` labels them; templates
#: translate a stored level with ``_`` (an unknown one is shown as it is).
LEVELS = (
    N_("same name parts (any order)"),
    N_("same name by sound"),
    N_("name nearly the same (a typing error)"),
    N_("two name parts shared by sound"),
    N_("similar name"),
    N_("one name part shared by sound"),
    N_("different names"),
    N_("same father's name"),
    N_("similar father's name"),
    N_("different father's names"),
    N_("same birth date"),
    N_("same birth date with day and month swapped"),
    N_("stated birth date agrees with the other's NIK"),
    N_("birth date one digit apart"),
    N_("birth date two digits apart"),
    N_("different birth dates"),
    N_("same national id"),
    N_(
        "NIK: same region and birth date, another serial (a typo, a twin, or a neighbour "
        "born the same day)"
    ),
    N_("national id one digit or one swap apart"),
    N_("different national ids"),
    N_("same passport number"),
    N_("passport number one character apart"),
    N_("different passport numbers"),
    N_("same phone number"),
    N_("different phone numbers"),
    N_("same sex"),
    N_("different sexes"),
    N_("same city"),
    N_("different cities"),
    N_("same address"),
    N_("address nearly the same"),
    N_("similar address"),
    N_("different addresses"),
    N_("same postcode"),
    N_("different postcodes"),
)
