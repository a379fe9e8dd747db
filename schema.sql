-- remit: the SQLite schema.
--
-- This file is the canonical definition. remit embeds the same text
-- (Sources/RemitKit/Store/Embedded+Generated.swift, written by
-- scripts/generate-embedded.py) and a test proves the two produce the same
-- database. Read a remit database with nothing but the sqlite3 shell:
--
--   sqlite3 ~/.local/share/remit/remit.sqlite 'SELECT * FROM service_overview'
--
-- Conventions
-- * Money is an INTEGER number of minor units of the currency named beside it
--   (cents for USD, yen for JPY, fils for KWD): divide by 10^currency.minor_units.
-- * Exchange rates and percentages are exact decimals stored as TEXT, with the
--   value as published (e.g. '17.2345'; trailing zeros are dropped). Use them in arithmetic as they are
--   ('17.2345' * 2 works), but CAST(x AS REAL) before comparing or sorting:
--   the views below already expose them as REAL.
-- * A rate is receiving-currency units per one sending-currency unit.
-- * Dates are ISO 8601 text: 'YYYY-MM-DD', times 'YYYY-MM-DDTHH:MM:SSZ' (UTC).
--   (date(x, '+0 days') IS x rejects impossible days such as '2026-02-30'.)
-- * Vocabularies (firm type, speed, ...) are kebab-case text checked here.
-- * Prices (fee schedules, exchange quotes, reference rates, survey observations)
--   carry the batch_id of the import that brought them: deleting the batch
--   deletes them. Providers, corridors and services are shared by batches;
--   service.batch_id only records which batch first brought the service, and
--   remit removes services, providers and corridors left without prices.

-- Reference data -------------------------------------------------------------

-- ISO 4217 currencies. Seeded for every current currency.
CREATE TABLE currency (
    code        TEXT PRIMARY KEY CHECK (length(code) = 3 AND code GLOB '[A-Z][A-Z][A-Z]'),
    name        TEXT NOT NULL,
    -- Decimals of the minor unit: JPY 0, USD 2, KWD 3.
    minor_units INTEGER NOT NULL CHECK (minor_units BETWEEN 0 AND 4)
) STRICT;

-- ISO 3166-1 countries. Seeded for every country; region and income group are
-- the World Bank's, filled in where known (RPW files carry them).
CREATE TABLE country (
    alpha2        TEXT PRIMARY KEY CHECK (length(alpha2) = 2 AND alpha2 GLOB '[A-Z][A-Z]'),
    alpha3        TEXT NOT NULL UNIQUE CHECK (length(alpha3) = 3 AND alpha3 GLOB '[A-Z][A-Z][A-Z]'),
    name          TEXT NOT NULL,
    currency_code TEXT NOT NULL REFERENCES currency (code),
    region        TEXT,
    income_group  TEXT
) STRICT;

-- Import batches: the provenance of every imported row.
CREATE TABLE import_batch (
    -- AUTOINCREMENT: a removed or replaced batch's number is never reused.
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    file_name      TEXT NOT NULL,
    -- SHA-256 of the file's bytes, lower-case hex: the same file is imported once.
    sha256         TEXT NOT NULL CHECK (length(sha256) = 64),
    format         TEXT NOT NULL CHECK (format IN ('sample', 'rpw', 'rpw-xlsx', 'ecb', 'rates', 'schedules', 'flows')),
    row_count      INTEGER NOT NULL DEFAULT 0 CHECK (row_count >= 0),
    rejected_count INTEGER NOT NULL DEFAULT 0 CHECK (rejected_count >= 0),
    imported_at    TEXT NOT NULL,
    UNIQUE (sha256, format)
) STRICT;

-- Market structure -------------------------------------------------------------

-- A corridor: money sent from one country to another, or within one country
-- (a domestic corridor, where both currencies are the same and nothing is exchanged).
CREATE TABLE corridor (
    id                INTEGER PRIMARY KEY,
    sending_country   TEXT NOT NULL REFERENCES country (alpha2),
    receiving_country TEXT NOT NULL REFERENCES country (alpha2),
    send_currency     TEXT NOT NULL REFERENCES currency (code),
    receive_currency  TEXT NOT NULL REFERENCES currency (code),
    UNIQUE (sending_country, receiving_country, send_currency, receive_currency),
    CHECK (sending_country <> receiving_country OR send_currency = receive_currency)
) STRICT;

-- A provider: a bank, money transfer operator, post office, mobile operator...
CREATE TABLE provider (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(name)) > 0),
    firm_type       TEXT NOT NULL CHECK (firm_type IN ('bank', 'money-transfer-operator', 'post-office',
                        'mobile-operator', 'non-bank-fi', 'credit-union', 'other')),
    -- The label as the source wrote it, e.g. RPW's 'Bank/Money Transfer Operator'.
    firm_type_label TEXT,
    -- 1 for a licensed, regulated (formal) channel; 0 for an informal one
    -- (hawala, couriers...). Only formal channels are ranked.
    is_formal       INTEGER NOT NULL DEFAULT 1 CHECK (is_formal IN (0, 1))
) STRICT;

-- A service: one provider's product in one corridor.
CREATE TABLE service (
    id                    INTEGER PRIMARY KEY,
    provider_id           INTEGER NOT NULL REFERENCES provider (id) ON DELETE CASCADE,
    corridor_id           INTEGER NOT NULL REFERENCES corridor (id) ON DELETE CASCADE,
    name                  TEXT NOT NULL,
    -- How the sender pays.
    funding_method        TEXT NOT NULL CHECK (funding_method IN ('cash', 'bank-account', 'debit-card',
                              'credit-card', 'mobile-money', 'other')),
    -- How the recipient is paid.
    payout_method         TEXT NOT NULL CHECK (payout_method IN ('cash', 'bank-account', 'mobile-wallet',
                              'home-delivery', 'other')),
    access_point          TEXT CHECK (access_point IN ('agent', 'internet', 'bank-branch', 'post-office',
                              'mobile-phone', 'other')),
    -- RPW's speed buckets.
    speed                 TEXT NOT NULL CHECK (speed IN ('less-than-one-hour', 'same-day', 'next-day',
                              '2-days', '3-5-days', '6-days-or-more')),
    -- 0 when the provider does not disclose its exchange rate: the FX margin is
    -- then unknown (not zero) and the service is left out of rankings and averages.
    is_transparent        INTEGER NOT NULL DEFAULT 1 CHECK (is_transparent IN (0, 1)),
    network_coverage      TEXT CHECK (network_coverage IN ('high', 'medium', 'low')),
    -- 1 when the sender needs a bank account or a card.
    requires_bank_account INTEGER NOT NULL CHECK (requires_bank_account IN (0, 1)),
    -- The source's own description where it was mapped, e.g. RPW's
    -- 'Cash, Bank account | Agent | Cash' (payment instrument | access point | pickup method).
    source_label          TEXT,
    batch_id              INTEGER REFERENCES import_batch (id) ON DELETE SET NULL,
    UNIQUE (provider_id, corridor_id, name, funding_method, payout_method),
    CHECK (requires_bank_account = 1 OR funding_method NOT IN ('bank-account', 'debit-card', 'credit-card'))
) STRICT;

CREATE INDEX service_by_corridor ON service (corridor_id);

-- The identity documents a service accepts from the sender. No row: not known.
CREATE TABLE service_identity_document (
    service_id INTEGER NOT NULL REFERENCES service (id) ON DELETE CASCADE,
    document   TEXT NOT NULL CHECK (document IN ('passport', 'national-id', 'consular-id',
                   'residence-permit', 'driving-licence')),
    PRIMARY KEY (service_id, document)
) STRICT, WITHOUT ROWID;

-- Prices ---------------------------------------------------------------------

-- A fee schedule: how a service prices any amount, valid for a span of dates.
CREATE TABLE fee_schedule (
    id         INTEGER PRIMARY KEY,
    service_id INTEGER NOT NULL REFERENCES service (id) ON DELETE CASCADE,
    -- The currency of band limits and fees: the corridor's send currency.
    currency   TEXT NOT NULL REFERENCES currency (code),
    -- 'on-top': the sender pays amount + fee; 'deducted': the fee comes out of the amount.
    fee_mode   TEXT NOT NULL CHECK (fee_mode IN ('on-top', 'deducted')),
    valid_from TEXT NOT NULL CHECK (date(valid_from, '+0 days') IS valid_from),
    -- Inclusive; NULL while the schedule is current.
    valid_to   TEXT CHECK (valid_to IS NULL OR (date(valid_to, '+0 days') IS valid_to AND valid_to >= valid_from)),
    batch_id   INTEGER REFERENCES import_batch (id) ON DELETE CASCADE,
    UNIQUE (service_id, valid_from)
) STRICT;

-- The bands of a schedule. For an amount in [min_amount, max_amount]:
-- fee = fixed_fee + amount * percent_fee / 100, raised to min_fee, capped at max_fee.
CREATE TABLE fee_band (
    schedule_id INTEGER NOT NULL REFERENCES fee_schedule (id) ON DELETE CASCADE,
    -- Inclusive limits in minor units; max_amount NULL means no upper limit.
    min_amount  INTEGER NOT NULL CHECK (min_amount >= 0),
    max_amount  INTEGER CHECK (max_amount IS NULL OR max_amount >= min_amount),
    fixed_fee   INTEGER NOT NULL DEFAULT 0 CHECK (fixed_fee >= 0),
    -- A decimal percentage as text: '1.5' is 1.5 %.
    percent_fee TEXT NOT NULL DEFAULT '0' CHECK (percent_fee GLOB '[0-9]*' AND percent_fee NOT GLOB '*[^0-9.]*'
                    AND CAST(percent_fee AS REAL) < 100),
    min_fee     INTEGER CHECK (min_fee IS NULL OR min_fee >= 0),
    max_fee     INTEGER CHECK (max_fee IS NULL OR max_fee >= coalesce(min_fee, 0)),
    PRIMARY KEY (schedule_id, min_amount)
) STRICT, WITHOUT ROWID;

-- The exchange rate a service offers, as observed at a time. Either the rate
-- itself or the margin the provider states over the reference rate.
CREATE TABLE exchange_quote (
    id             INTEGER PRIMARY KEY,
    service_id     INTEGER NOT NULL REFERENCES service (id) ON DELETE CASCADE,
    observed_at    TEXT NOT NULL CHECK (julianday(observed_at) IS NOT NULL),
    offered_rate   TEXT CHECK (offered_rate IS NULL OR (offered_rate NOT GLOB '*[^0-9.]*' AND CAST(offered_rate AS REAL) > 0)),
    margin_percent TEXT CHECK (margin_percent IS NULL OR (margin_percent GLOB '*[0-9]*' AND margin_percent NOT GLOB '*[^0-9.-]*'
                       AND CAST(margin_percent AS REAL) < 100)),
    batch_id       INTEGER REFERENCES import_batch (id) ON DELETE CASCADE,
    UNIQUE (service_id, observed_at),
    CHECK ((offered_rate IS NULL) <> (margin_percent IS NULL))
) STRICT;

-- Reference (interbank mid-market) rates: 1 base = rate quote.
CREATE TABLE reference_rate (
    base_currency  TEXT NOT NULL REFERENCES currency (code),
    quote_currency TEXT NOT NULL REFERENCES currency (code),
    rate_date      TEXT NOT NULL CHECK (date(rate_date, '+0 days') IS rate_date),
    rate           TEXT NOT NULL CHECK (rate NOT GLOB '*[^0-9.]*' AND CAST(rate AS REAL) > 0),
    -- Who published it: 'ECB', a central bank, 'RPW', 'sample'...
    source         TEXT NOT NULL,
    batch_id       INTEGER REFERENCES import_batch (id) ON DELETE CASCADE,
    PRIMARY KEY (base_currency, quote_currency, rate_date, source),
    CHECK (base_currency <> quote_currency)
) STRICT, WITHOUT ROWID;

-- Survey price observations: what a service charged for one amount in one
-- period, as published (e.g. RPW's USD 200 and USD 500 price points).
CREATE TABLE price_observation (
    id                   INTEGER PRIMARY KEY,
    service_id           INTEGER NOT NULL REFERENCES service (id) ON DELETE CASCADE,
    -- The survey quarter, as RPW writes it: '2025_3Q'.
    period               TEXT NOT NULL CHECK (length(period) = 7 AND period GLOB '[12][0-9][0-9][0-9]_[1-4]Q'),
    -- The amount sent, in minor units of the corridor's send currency.
    amount               INTEGER NOT NULL CHECK (amount > 0),
    -- The survey's price point in its denomination currency, e.g. 200 USD.
    denomination_amount  INTEGER,
    denomination_currency TEXT REFERENCES currency (code),
    -- The fee, in minor units of the send currency.
    fee                  INTEGER NOT NULL CHECK (fee >= 0),
    offered_rate         TEXT CHECK (offered_rate IS NULL OR (offered_rate NOT GLOB '*[^0-9.]*' AND CAST(offered_rate AS REAL) > 0)),
    -- The interbank rate; NULL when not transparent (RPW then stores a placeholder 1).
    reference_rate       TEXT CHECK (reference_rate IS NULL OR (reference_rate NOT GLOB '*[^0-9.]*' AND CAST(reference_rate AS REAL) > 0)),
    -- As published; NULL when the service is not transparent (unknown, not zero).
    fx_margin_percent    TEXT CHECK (fx_margin_percent IS NULL OR (fx_margin_percent GLOB '*[0-9]*' AND fx_margin_percent NOT GLOB '*[^0-9.-]*')),
    total_cost_percent   TEXT CHECK (total_cost_percent IS NULL OR (total_cost_percent GLOB '*[0-9]*' AND total_cost_percent NOT GLOB '*[^0-9.-]*')),
    -- fee / amount * 100 + fx_margin_percent, as remit recomputes it.
    recomputed_total_cost_percent TEXT,
    -- 1 when the published total cost differs from the recomputed one by more
    -- than 0.01 percentage points: kept as published, flagged, left out of averages.
    is_inconsistent      INTEGER NOT NULL DEFAULT 0 CHECK (is_inconsistent IN (0, 1)),
    -- The source's row id (RPW's `id`) and the line of the file it came from.
    source_row_id        TEXT,
    source_line          INTEGER,
    observed_on          TEXT CHECK (observed_on IS NULL OR date(observed_on, '+0 days') IS observed_on),
    batch_id             INTEGER REFERENCES import_batch (id) ON DELETE CASCADE,
    UNIQUE (service_id, period, amount)
) STRICT;

CREATE INDEX price_observation_by_period ON price_observation (period);

-- Bilateral remittance flows: how much is sent each year from one country to
-- another (e.g. the World Bank's bilateral remittance matrix). Reports weight
-- corridor averages by these flows and estimate what senders could save.
CREATE TABLE remittance_flow (
    sending_country   TEXT NOT NULL REFERENCES country (alpha2),
    receiving_country TEXT NOT NULL REFERENCES country (alpha2),
    year              INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2200),
    -- The flow in whole US dollars.
    usd_amount        INTEGER NOT NULL CHECK (usd_amount >= 0),
    batch_id          INTEGER REFERENCES import_batch (id) ON DELETE CASCADE,
    PRIMARY KEY (sending_country, receiving_country, year),
    CHECK (sending_country <> receiving_country)
) STRICT, WITHOUT ROWID;

-- Views: the common questions in one SELECT -----------------------------------

-- Every service with its provider and corridor in words.
CREATE VIEW service_overview AS
SELECT s.id                  AS service_id,
       p.name                AS provider,
       p.firm_type           AS firm_type,
       p.is_formal           AS is_formal,
       c.sending_country     AS sending_country,
       c.receiving_country   AS receiving_country,
       c.send_currency       AS send_currency,
       c.receive_currency    AS receive_currency,
       s.name                AS service,
       s.funding_method      AS funding_method,
       s.payout_method       AS payout_method,
       s.access_point        AS access_point,
       s.speed               AS speed,
       s.is_transparent      AS is_transparent,
       s.requires_bank_account AS requires_bank_account,
       (SELECT group_concat(d.document, ',') FROM service_identity_document d
         WHERE d.service_id = s.id) AS identity_documents
  FROM service s
  JOIN provider p ON p.id = s.provider_id
  JOIN corridor c ON c.id = s.corridor_id;

-- The most recent exchange quote of each service.
CREATE VIEW latest_exchange_quote AS
SELECT q.service_id,
       q.observed_at,
       CAST(q.offered_rate AS REAL)   AS offered_rate,
       CAST(q.margin_percent AS REAL) AS margin_percent
  FROM exchange_quote q
 WHERE q.observed_at = (SELECT max(observed_at) FROM exchange_quote l WHERE l.service_id = q.service_id);

-- The fee schedule in force today for each service, band by band, in major units.
CREATE VIEW current_fee_band AS
SELECT f.service_id,
       f.currency,
       f.fee_mode,
       f.valid_from,
       CAST(b.min_amount AS REAL) / pow(10, cu.minor_units) AS min_amount,
       CAST(b.max_amount AS REAL) / pow(10, cu.minor_units) AS max_amount,
       CAST(b.fixed_fee AS REAL) / pow(10, cu.minor_units)  AS fixed_fee,
       CAST(b.percent_fee AS REAL)                          AS percent_fee,
       CAST(b.min_fee AS REAL) / pow(10, cu.minor_units)    AS min_fee,
       CAST(b.max_fee AS REAL) / pow(10, cu.minor_units)    AS max_fee
  FROM fee_schedule f
  JOIN fee_band b ON b.schedule_id = f.id
  JOIN currency cu ON cu.code = f.currency
 WHERE f.valid_from <= date('now') AND (f.valid_to IS NULL OR f.valid_to >= date('now'));

-- The latest reference rate for each currency pair and source.
CREATE VIEW latest_reference_rate AS
SELECT r.base_currency, r.quote_currency, r.source, r.rate_date, CAST(r.rate AS REAL) AS rate
  FROM reference_rate r
 WHERE r.rate_date = (SELECT max(rate_date) FROM reference_rate l
                       WHERE l.base_currency = r.base_currency AND l.quote_currency = r.quote_currency
                         AND l.source = r.source);

-- Survey observations in words, amounts in major units, the latest period of
-- each service first.
CREATE VIEW survey_price AS
SELECT o.period,
       so.provider, so.firm_type, so.sending_country, so.receiving_country, so.service,
       so.send_currency,
       CAST(o.amount AS REAL) / pow(10, cu.minor_units) AS amount,
       CAST(o.fee AS REAL) / pow(10, cu.minor_units)    AS fee,
       CAST(o.offered_rate AS REAL)       AS offered_rate,
       CAST(o.reference_rate AS REAL)     AS reference_rate,
       CAST(o.fx_margin_percent AS REAL)  AS fx_margin_percent,
       CAST(o.total_cost_percent AS REAL) AS total_cost_percent,
       o.is_inconsistent,
       o.service_id
  FROM price_observation o
  JOIN service_overview so ON so.service_id = o.service_id
  JOIN currency cu ON cu.code = so.send_currency;
