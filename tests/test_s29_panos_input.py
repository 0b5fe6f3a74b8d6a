"""PAN-OS input forms (session 29, PAN-OS red team, round 2).

'show config pushed-shared-policy' (Panorama's pushed rules on a firewall, "Use the CLI: show config
pushed-shared-policy", PAN-OS CLI Quick Start) prints in the CLI's output format: XML, ``set`` commands, or
the default hierarchical form.  The XML and ``set`` forms alone were refused naming what to audit (session 25);
the hierarchical form was taken for a Junos configuration ('junos, 19 lines, 7 not understood', its
'security {' block counting as Junos), and audited as that.  It is now recognised as PAN-OS and refused alike.
"""

from __future__ import annotations

import pytest

from parsers import InputError, detect, parse_text

PUSHED_TREE = """\
policy {
  panorama {
    pre-rulebase {
      security {
        rules {
          allow-ws {
            from workshop;
            to servers;
            source any;
            destination any;
            application any;
            service any;
            action allow;
          }
        }
      }
    }
    post-rulebase {
      security {
        rules;
      }
    }
  }
}
"""


def test_pushed_shared_policy_in_the_hierarchical_form_is_panos():
    assert detect(PUSHED_TREE) == "paloalto-panos"


def test_pushed_shared_policy_in_the_hierarchical_form_alone_is_refused_naming_what_to_audit():
    with pytest.raises(InputError, match="pushed-shared-policy.*audit the firewall's configuration"):
        parse_text(PUSHED_TREE, "pushed.conf")
