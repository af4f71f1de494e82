"""Labels of the 360 page's consents, key figures, timeline and identity graph, and of the
search's matches."""

from __future__ import annotations

PROFILE: dict[str, dict[str, str]] = {
    "search.matched": {"en": "matched on", "fr": "trouvé par"},
    "search.no_activity": {"en": "none yet", "fr": "aucune"},
    "match.name": {"en": "name", "fr": "nom"},
    "match.city": {"en": "city", "fr": "ville"},
    "match.email": {"en": "e-mail", "fr": "e-mail"},
    "match.phone": {"en": "phone", "fr": "téléphone"},
    "match.postcode": {"en": "postcode", "fr": "code postal"},
    "match.loyalty_card": {"en": "loyalty card", "fr": "carte de fidélité"},
    "match.source_customer_id": {"en": "id in a source", "fr": "identifiant source"},
    "consents.title": {"en": "Consents", "fr": "Consentements"},
    "consents.caption": {
        "en": "The newest word of each channel and purpose; the timeline holds the history.",
        "fr": "Le dernier choix par canal et finalité ; la chronologie garde l'historique.",
    },
    "consents.channel": {"en": "Channel", "fr": "Canal"},
    "consents.purpose": {"en": "Purpose", "fr": "Finalité"},
    "consents.state": {"en": "State", "fr": "État"},
    "consents.given_through": {"en": "Given through", "fr": "Recueilli via"},
    "consents.since": {"en": "Since", "fr": "Depuis"},
    "consents.none": {"en": "No consent recorded.", "fr": "Aucun consentement enregistré."},
    "channel.email": {"en": "E-mail", "fr": "E-mail"},
    "channel.sms": {"en": "SMS", "fr": "SMS"},
    "channel.phone": {"en": "Phone", "fr": "Téléphone"},
    "channel.post": {"en": "Post", "fr": "Courrier"},
    "channel.all": {"en": "All channels", "fr": "Tous canaux"},
    "state.granted": {"en": "given", "fr": "donné"},
    "state.denied": {"en": "refused", "fr": "refusé"},
    "state.pending": {"en": "pending", "fr": "en attente"},
    "state.unknown": {"en": "unknown", "fr": "inconnu"},
    "state.done": {"en": "signed", "fr": "signé"},
    "state.ongoing": {"en": "awaiting signature", "fr": "en attente de signature"},
    "state.declined": {"en": "declined", "fr": "refusé"},
    "state.expired": {"en": "expired", "fr": "expiré"},
    "state.canceled": {"en": "cancelled", "fr": "annulé"},
    "state.active": {"en": "active", "fr": "actif"},
    "state.paid": {"en": "paid", "fr": "payée"},
    "state.refunded": {"en": "refunded", "fr": "remboursée"},
    "figures.title": {"en": "Key figures", "fr": "Chiffres clés"},
    "figures.caption": {
        "en": "Over the records your key may see.",
        "fr": "Sur les fiches visibles avec votre clé.",
    },
    "figures.spend": {"en": "Lifetime spend", "fr": "Total des achats"},
    "figures.brand": {"en": "Brand", "fr": "Marque"},
    "figures.purchases": {"en": "Purchases", "fr": "Achats"},
    "figures.total": {"en": "Total", "fr": "Total"},
    "figures.no_brand": {"en": "no brand", "fr": "sans marque"},
    "figures.no_spend": {"en": "No purchase yet.", "fr": "Aucun achat pour l'instant."},
    "figures.orders": {"en": "Orders", "fr": "Commandes"},
    "figures.receipts": {"en": "Receipts", "fr": "Tickets de caisse"},
    "figures.active_subscriptions": {
        "en": "Active subscriptions",
        "fr": "Souscriptions actives",
    },
    "figures.partner_products": {"en": "Partner products", "fr": "Produits partenaires"},
    "figures.active_partner_products": {"en": "{count} active", "fr": "{count} actif(s)"},
    "figures.last_activity": {"en": "Last activity:", "fr": "Dernière activité :"},
    "figures.never": {"en": "none yet", "fr": "aucune"},
    "timeline.title": {"en": "Timeline", "fr": "Chronologie"},
    "timeline.caption": {
        "en": "Orders, receipts, subscriptions, partner products, consents and identity "
        "decisions, newest first.",
        "fr": "Commandes, tickets, souscriptions, produits partenaires, consentements et "
        "décisions d'identité, du plus récent au plus ancien.",
    },
    "timeline.empty": {"en": "Nothing has happened yet.", "fr": "Rien ne s'est encore passé."},
    "timeline.more": {"en": "Show more", "fr": "Afficher la suite"},
    "timeline.newest": {"en": "Back to the newest", "fr": "Revenir au plus récent"},
    "timeline.undated": {"en": "date unknown", "fr": "date inconnue"},
    "timeline.order": {"en": "Order {number}", "fr": "Commande {number}"},
    "timeline.receipt": {"en": "Receipt, store {store}", "fr": "Ticket, magasin {store}"},
    "timeline.subscription": {
        "en": "Subscription: {product}",
        "fr": "Souscription : {product}",
    },
    "timeline.partner_product": {
        "en": "Partner product: {product} ({partner})",
        "fr": "Produit partenaire : {product} ({partner})",
    },
    "timeline.consent": {
        "en": "Consent, {channel} / {purpose}",
        "fr": "Consentement, {channel} / {purpose}",
    },
    "timeline.event": {"en": "Event: {name}", "fr": "Événement : {name}"},
    "timeline.decision.merge": {
        "en": "Merged with profile {other}",
        "fr": "Fusion avec le profil {other}",
    },
    "timeline.decision.split": {
        "en": "Split with profile {other}",
        "fr": "Séparation d'avec le profil {other}",
    },
    "timeline.decision.never_merge": {
        "en": "Never to be merged with profile {other}",
        "fr": "À ne jamais fusionner avec le profil {other}",
    },
    "timeline.decision.undo": {
        "en": "Decision undone about profile {other}",
        "fr": "Décision annulée au sujet du profil {other}",
    },
    "timeline.decided_by": {"en": "by {who}", "fr": "par {who}"},
    "timeline.automatic": {
        "en": "automatically, by identity resolution",
        "fr": "automatiquement, par le rapprochement d'identités",
    },
    "graph.title": {"en": "Identity", "fr": "Identité"},
    "graph.caption": {
        "en": "Each source record of the profile, and the matches that joined them, with "
        "their score in bits. Hover or focus a line for the rule and the evidence.",
        "fr": "Chaque fiche source du profil et les rapprochements qui les ont réunies, avec "
        "leur score en bits. Survolez ou sélectionnez un trait pour la règle et les preuves.",
    },
    "graph.summary": {
        "en": "{records} source record(s), {links} match(es)",
        "fr": "{records} fiche(s) source, {links} rapprochement(s)",
    },
    "graph.too_many": {
        "en": "Too many records to draw ({count}): the matches are listed below.",
        "fr": "Trop de fiches pour un dessin ({count}) : les rapprochements sont listés.",
    },
    "graph.as_table": {"en": "The matches as a table", "fr": "Les rapprochements en tableau"},
    "graph.record": {"en": "Record", "fr": "Fiche"},
    "graph.matched_with": {"en": "Matched with", "fr": "Rapprochée de"},
    "graph.rule": {"en": "Rule", "fr": "Règle"},
    "graph.score": {"en": "Score", "fr": "Score"},
    "graph.outcome": {"en": "Outcome", "fr": "Issue"},
    "graph.evidence": {"en": "Evidence", "fr": "Preuves"},
    "graph.linked_by": {"en": "Linked by", "fr": "Rattachée par"},
    "graph.joined_by": {
        "en": "Attached without a scored match: {rule} ({who})",
        "fr": "Rattachée sans rapprochement calculé : {rule} ({who})",
    },
    "graph.no_links": {
        "en": "No match to show: the profile has one record, or its records were joined by agents.",
        "fr": "Aucun rapprochement à montrer : le profil n'a qu'une fiche, ou ses fiches ont "
        "été réunies par des agents.",
    },
}
