/// The inline style sheet of ``HTMLPage``: readable on a phone, black on white in print. No `<` or `&`,
/// so the page stays well-formed XML.
enum HTMLStyle {
    static let css = """
    :root { color-scheme: light; }
    * { box-sizing: border-box; }
    body { margin: 0; background: #ffffff; color: #1a1a1a;
      font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
    .page { max-width: 56rem; margin: 0 auto; padding: 1rem 1rem 2rem; }
    h1 { font-size: 1.75rem; line-height: 1.2; margin: 0.5rem 0 0.25rem; }
    h2 { font-size: 1.3rem; line-height: 1.25; margin: 2rem 0 0.5rem; border-bottom: 1px solid #cccccc; padding-bottom: 0.2rem; }
    h3, h4, h5, h6 { font-size: 1.05rem; margin: 1.5rem 0 0.5rem; }
    p { margin: 0.5rem 0 0.75rem; max-width: 44rem; }
    .subtitle { color: #444444; margin-top: 0; }
    .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(11rem, 1fr)); gap: 0.75rem; margin: 1rem 0; }
    .card { border: 1px solid #bbbbbb; border-left: 4px solid #0072b2; border-radius: 0.4rem; padding: 0.6rem 0.9rem; }
    .card dt { font-size: 0.875rem; color: #444444; }
    .card dd { margin: 0; }
    .card .value { font-size: 1.75rem; font-weight: 700; line-height: 1.2; font-variant-numeric: tabular-nums; }
    .card .note { font-size: 0.8rem; color: #555555; }
    .table-wrap { overflow-x: auto; margin: 1rem 0; -webkit-overflow-scrolling: touch; }
    table { border-collapse: collapse; width: 100%; font-size: 0.9rem; font-variant-numeric: tabular-nums; }
    caption { text-align: left; font-weight: 600; padding: 0 0 0.4rem; }
    th, td { padding: 0.35rem 0.6rem; border-bottom: 1px solid #dddddd; text-align: left; vertical-align: top; }
    thead th { border-bottom: 2px solid #1a1a1a; white-space: nowrap; }
    .num { text-align: right; white-space: nowrap; }
    tbody tr:nth-child(even) { background: #f6f6f6; }
    figure { margin: 1.5rem 0; }
    figure svg { display: block; width: 100%; height: auto; max-width: 42rem; }
    figcaption { font-size: 0.875rem; color: #444444; margin-top: 0.4rem; }
    .notes { font-size: 0.875rem; }
    .notes ol { padding-left: 1.5rem; }
    footer { margin-top: 2.5rem; padding-top: 0.75rem; border-top: 1px solid #cccccc; font-size: 0.8rem; color: #444444; }
    footer p { margin: 0.25rem 0; max-width: none; }
    @media (max-width: 30rem) {
      .page { padding: 0.75rem; }
      h1 { font-size: 1.4rem; }
      .card .value { font-size: 1.4rem; }
    }
    @media print {
      @page { margin: 15mm; }
      body { font-size: 10.5pt; color: #000000; background: #ffffff; }
      .page { max-width: none; padding: 0; }
      .subtitle, .card dt, .card .note, figcaption, footer, .notes { color: #000000; }
      .card { border-color: #000000; border-left-width: 1px; }
      .table-wrap { overflow: visible; }
      tbody tr:nth-child(even) { background: none; }
      th, td { border-bottom-color: #888888; }
      table, figure, .card, .cards { break-inside: avoid; page-break-inside: avoid; }
      thead { display: table-header-group; }
      tr { break-inside: avoid; page-break-inside: avoid; }
      h2, h3 { break-after: avoid; page-break-after: avoid; }
      figure svg { max-width: 100%; }
    }

    """
}
