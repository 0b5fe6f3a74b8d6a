"""pfSense / OPNsense shapes of real exports and generated rules (session 25 red team).

Sources cited below:
* [DIAGBACKUP] pfSense src/usr/local/www/diag_backup.php (pfsense/pfsense): rrd_data_xml writes
  '\\t<rrddata>\\n' then per graph '<rrddatafile><filename>NAME.rrd</filename><xmldata>' base64(gzdeflate(rrdtool
  dump)) '</xmldata></rrddatafile>', and a download inserts it before '</pfsense>' unless 'donotbackuprrd' ("Skip
  RRD data"); a restore runs restore_rrddata() then 'unset($config['rrddata'])': graph data, never filtering.
"""

from pf_helpers import decide, parse, pfsense, rule

from auditor.engine import PERMIT

WS, SRV = "10.30.0.5", "10.20.0.10"  # a Workshop client (OPT1), a server on LAN

_RRD = """
	<rrddata>
		<rrddatafile>
			<filename>wan-traffic.rrd</filename>
			<xmldata>7V1bbxs3Fn7Pr1DxvTE5nOHMCMgGcZ0UWbRp0LhFsQ+LOHEKMHIjtbkWbWM7/t6/cnsvr+iVLkq4tHW</xmldata>
		</rrddatafile>
		<rrddatafile>
			<filename>system-processor.rrd</filename>
			<xmldata>AbCdEf0123456789+/AbCdEf0123456789+/==</xmldata>
		</rrddatafile>
	</rrddata>"""


def test_a_backup_with_rrd_data_is_read_as_without_it():
    # [DIAGBACKUP] the graph data a download appends changes no rule: nothing reported, the flows still decided
    text = pfsense(rule("opt1", "pass", descr="ws any"), extra=_RRD)
    cfg = parse(text)
    assert cfg.diagnostics == ()
    assert decide(cfg, WS, SRV).kind == PERMIT
