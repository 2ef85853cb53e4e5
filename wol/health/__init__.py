"""The health of the network: figures, the quadrant verdict, charts and the /health/ page.

Pure: every function here works on data passed in (the Graph, a History read
from Git by wol/knowledge.py, hits read from an access log). `wol/commands/stats.py`
and the build (`wol/pipeline.py`) load those and call in.

    history.py    Git dates → History (with the fallback when history is shallow or absent)
    access_log.py common/combined log lines → reads per document
    figures.py    Graph + History (+ reads) → Figures
    quadrant.py   Figures → Verdict (desert, flood room, theatre of one actor, honey apiary), reasons, suggestion
    verdict.py    Graph + History (+ reads) → Health: the figures and their verdict together
    charts.py     numbers → inline SVG (xml.etree), readable without script or network
    report.py     Figures + Verdict → terminal table or JSON
    page.py       → the /health/ and "What wol publishes about you" pages, as a Staged
"""
