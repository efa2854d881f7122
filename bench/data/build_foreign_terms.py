"""Build policy/recognizers/data/foreign_terms.txt: health, special-category and hardship terms in
the other languages people write to an assistant in (German, French, Spanish, Italian, Dutch,
Polish, Swedish, Finnish), for the lexicon recognizers.

Run by hand when the lists below change (the output is committed; nothing here runs at
detection time):

    python bench/data/build_foreign_terms.py

The lists were written for this project (Apache-2.0). They hold words specific enough to be
said of a person only in the sense meant ("schwanger", "chimiothérapie", "komornik"), not
everyday words; each is anchored like any `ANY` term of `_lexicon` (a first-person word, a
relation or a named person near it), and `_lexicon` knows the first-person words and
relations of these languages ("ich", "mon", "mia", "mijn", "moja", "min"; "Mutter", "fils").
Accented forms are listed with and without their accents, since prompts are typed in a hurry.
"""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "policy" / "recognizers" / "data" / "foreign_terms.txt"

HEALTH = """
# German
krebs; krebserkrankung; brustkrebs; tumor; diabetes; zuckerkrank; depressionen; depression; depressiv; schwanger
schwangerschaft; fehlgeburt; krankgeschrieben; krankschreibung; arbeitsunfähig; arbeitsunfähigkeitsbescheinigung
burnout; herzinfarkt; schlaganfall; chemotherapie; chemo; antidepressiva; psychotherapie; psychiater; psychiatrie
bandscheibenvorfall; epilepsie; autismus; autist; adhs; schizophrenie; bipolar; angststörung; panikattacken
essstörung; magersucht; bulimie; demenz; alzheimer; parkinson; multiple sklerose; asthma; allergie; hiv-positiv
behinderung; schwerbehindert; schwerbehinderung; rollstuhl; reha; entzug; alkoholkrank; suchtkrank; dialyse
gebärmutterhalskrebs; lungenentzündung; hirntumor; querschnittsgelähmt; insulin; medikamente; blutdruck
# French
cancer; diabète; diabétique; dépression; déprimé; déprimée; enceinte; grossesse; fausse couche; arrêt maladie
arrêt de travail; burn-out; infarctus; chimiothérapie; chimio; antidépresseurs; psychothérapie; psychiatre
épilepsie; autisme; autiste; tdah; schizophrénie; bipolaire; trouble anxieux; crises d'angoisse; crise d'angoisse
anorexie; boulimie; démence; maladie d'alzheimer; sclérose en plaques; asthme; séropositif; séropositive
handicapé; handicapée; fauteuil roulant; sevrage; alcoolique; dialyse; hospitalisé; hospitalisée; tumeur
# Spanish
cáncer; diabetes; diabético; diabética; depresión; deprimido; deprimida; embarazada; embarazo; aborto espontáneo
baja médica; baja por enfermedad; infarto; ictus; quimioterapia; quimio; antidepresivos; psicoterapia; psiquiatra
epilepsia; autismo; autista; tdah; esquizofrenia; bipolar; ansiedad; ataques de pánico; trastorno alimentario
anorexia; bulimia; demencia; esclerosis múltiple; asma; seropositivo; seropositiva; discapacidad; discapacitado
discapacitada; silla de ruedas; diálisis; hospitalizado; hospitalizada; tumor cerebral
# Italian
cancro; tumore; diabete; diabetico; diabetica; depressione; depresso; depressa; incinta; gravidanza; aborto spontaneo
in malattia; certificato medico; infarto; ictus; chemioterapia; antidepressivi; psicoterapia; psichiatra; epilessia
autismo; autistico; autistica; schizofrenia; bipolare; attacchi di panico; disturbo alimentare; anoressia; demenza
sclerosi multipla; asma; sieropositivo; sieropositiva; disabilità; disabile; sedia a rotelle; dialisi; ricoverato
ricoverata
# Dutch
kanker; suikerziekte; depressie; depressief; zwanger; zwangerschap; miskraam; ziek gemeld; ziekgemeld; ziekmelding
hartaanval; beroerte; chemotherapie; antidepressiva; psychiater; epilepsie; autisme; schizofrenie; angststoornis
paniekaanvallen; eetstoornis; anorexia; dementie; multiple sclerose; astma; hiv-positief; gehandicapt; rolstoel
dialyse; opgenomen in het ziekenhuis
# Polish
rak; raka; nowotwór; cukrzyca; cukrzycę; depresja; depresję; w ciąży; ciąża; poronienie; zwolnienie lekarskie
na zwolnieniu; zawał; udar; chemioterapia; chemię; antydepresanty; psychiatra; padaczka; padaczkę; autyzm
schizofrenia; choroba dwubiegunowa; stany lękowe; anoreksja; demencja; stwardnienie rozsiane; astma; niepełnosprawny
niepełnosprawna; wózek inwalidzki; dializy; w szpitalu
# Swedish
cancer; diabetes; depression; deprimerad; gravid; graviditet; missfall; sjukskriven; sjukskrivning; hjärtinfarkt
stroke; cellgifter; antidepressiva; psykiatriker; epilepsi; autism; schizofreni; ångest; panikångest; ätstörning
demens; astma; funktionsnedsättning; rullstol; dialys
# Finnish
syöpä; syöpää; diabetes; masennus; masennusta; raskaana; keskenmeno; sairauslomalla; sairausloma; sydänkohtaus
aivoinfarkti; solunsalpaajat; masennuslääkkeet; psykiatri; epilepsia; autismi; skitsofrenia; ahdistus; paniikkihäiriö
syömishäiriö; dementia; astma; vammainen; pyörätuoli; dialyysi
"""

RELIGION = """
muslimisch; muslima; jüdisch; katholisch; evangelisch; buddhistisch; hinduistisch; konvertiert zum islam
musulman; musulmane; juif; juive; catholique; protestante; bouddhiste; converti à l'islam
musulmán; musulmana; judío; judía; católico; católica; evangélico; evangélica
musulmano; musulmana; ebreo; ebrea; cattolico; cattolica; buddista
moslim; moslima; joods; katholiek; gereformeerd
muzułmanin; muzułmanka; żyd; żydówka; katolik; katoliczka
muslimsk; judisk; katolik; troende
muslimi; juutalainen; katolilainen; uskovainen
"""

SEXUALITY = """
schwul; lesbisch; bisexuell; homosexuell; transgender; nichtbinär; queer
homosexuel; homosexuelle; bisexuel; bisexuelle; lesbienne; transgenre; non-binaire
homosexual; bisexual; lesbiana; no binario; no binaria; transexual
omosessuale; bisessuale; lesbica; non binario; non binaria
homoseksueel; biseksueel; lesbisch; non-binair
homoseksualny; homoseksualna; gejem; lesbijką; lesbijka; biseksualny; biseksualna; osobą niebinarną
homosexuell; bisexuell; icke-binär
homoseksuaali; biseksuaali; lesbo; muunsukupuolinen
"""

UNION = """
gewerkschaftsmitglied; in der gewerkschaft
syndiqué; syndiquée; délégué syndical; déléguée syndicale
afiliado al sindicato; afiliada al sindicato; delegado sindical; delegada sindical
iscritto al sindacato; iscritta al sindacato; delegato sindacale; delegata sindacale
lid van de vakbond; vakbondslid; kaderlid
członek związku; członkini związku; związkowiec
fackligt ansluten; facklig
ammattiliiton jäsen; luottamusmies
"""

CRIMINAL = """
vorbestraft; vorstrafe; gefängnis; haftstrafe; bewährung; verurteilt
casier judiciaire; condamné; condamnée; en prison; sursis; garde à vue
antecedentes penales; condenado; condenada; en la cárcel; en prisión; libertad condicional
precedenti penali; condannato; condannata; in carcere; libertà vigilata
strafblad; veroordeeld; in de gevangenis
karany; karana; wyrok; w więzieniu; kurator sądowy
dömd; i fängelse; villkorlig dom; belastningsregister
tuomittu; vankilassa; rikosrekisteri; ehdonalainen
"""

FINANCIAL = """
schulden; verschuldet; mahnung; mahnungen; pfändung; kontopfändung; gerichtsvollzieher; privatinsolvenz; insolvenz
arbeitslos; arbeitslosengeld; hartz 4; wohngeld; sozialhilfe; mietrückstand; mietschulden; dispo; gehalt
dettes; endetté; endettée; surendettement; huissier; impayés; loyers impayés; chômage; au chômage
interdit bancaire; fiché à la banque de france; salaire
deudas; endeudado; endeudada; en paro; desempleado; desempleada; desahucio; moroso; morosa; fichero de morosos
embargo de nómina; sueldo; nómina
debiti; indebitato; indebitata; sfratto; pignoramento; disoccupato; disoccupata; cattivo pagatore; stipendio
schulden; schuldhulpverlening; deurwaarder; bijstand; werkloos; huurachterstand; bkr-registratie; salaris
długi; zadłużony; zadłużona; komornik; komornika; bezrobotny; bezrobotna; zaległości; pensja
skulder; skuldsatt; kronofogden; arbetslös; lön; försörjningsstöd
velkaa; velat; ulosotto; ulosottoon; työtön; palkka; toimeentulotuki
"""


def table(text: str) -> list[str]:
    rows = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        rows.extend(t.strip() for t in line.split(";") if t.strip())
    return rows


def unaccented(term: str) -> str:
    decomposed = unicodedata.normalize("NFKD", term.replace("ł", "l").replace("ø", "o").replace("ß", "ss"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# Unaccented forms that are English words or abbreviations: "lon" (longitude) for Swedish "lön".
ENGLISH_LOOKALIKES = frozenset({"lon"})


def with_unaccented(terms: list[str]) -> list[str]:
    return sorted({variant for term in terms for variant in (term, unaccented(term))} - ENGLISH_LOOKALIKES)


def build() -> dict[str, list[str]]:
    return {
        "health": with_unaccented(table(HEALTH)),
        "religion": with_unaccented(table(RELIGION)),
        "sexuality": with_unaccented(table(SEXUALITY)),
        "union": with_unaccented(table(UNION)),
        "criminal": with_unaccented(table(CRIMINAL)),
        "financial": with_unaccented(table(FINANCIAL)),
    }


HEADER = """\
# Health, special-category and hardship terms in other languages, for policy/recognizers/: one a line.
# Built by bench/data/build_foreign_terms.py from lists written for this project (Apache-2.0);
# do not edit by hand.
"""




def main() -> int:
    sys.path.insert(0, str(ROOT))
    from policy.recognizers._lexicon import write_vocabulary

    sections = build()
    print(write_vocabulary(OUTPUT, HEADER, sections))
    return 0


if __name__ == "__main__":
    sys.exit(main())
