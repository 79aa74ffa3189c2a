"""The threat ids scenarios may cite: MITRE ATLAS tactics and techniques, OWASP LLM Top 10.

Why a table in code: a scenario's ``references`` are only useful if every id in
them means something. The library test checks each cited id against this table
(a typo such as ``AML.T0511`` fails with its file and id) and computes which
OWASP categories and ATLAS tactics the library covers, which needs each
technique's tactics.

Where it comes from:

- ATLAS tactic and technique ids and names: ATLAS data 5.x, as summarised in
  ``shared/reference/ai-threats.md`` ("AI" replaced "ML" in names), completed with
  the names of sub-techniques and neighbouring techniques from the ATLAS matrix.
- Technique → tactics: the tactics ATLAS lists for each technique (some have two or
  three: Evade AI Model is Initial Access, Defense Evasion and Impact). Where a
  mapping was not certain, only the primary tactic ATLAS gives is listed, never a
  guess. A sub-technique has its parent's tactics.
- OWASP Top 10 for LLM Applications, 2025 edition.

Only ids a scenario might plausibly cite are listed, not the whole matrix: add a
technique here (with its ATLAS tactics) before citing it in a scenario.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ATLAS_TACTICS: dict[str, str] = {
    "AML.TA0002": "Reconnaissance",
    "AML.TA0003": "Resource Development",
    "AML.TA0004": "Initial Access",
    "AML.TA0000": "AI Model Access",
    "AML.TA0005": "Execution",
    "AML.TA0006": "Persistence",
    "AML.TA0012": "Privilege Escalation",
    "AML.TA0007": "Defense Evasion",
    "AML.TA0013": "Credential Access",
    "AML.TA0008": "Discovery",
    "AML.TA0015": "Lateral Movement",
    "AML.TA0009": "Collection",
    "AML.TA0001": "AI Attack Staging",
    "AML.TA0014": "Command and Control",
    "AML.TA0010": "Exfiltration",
    "AML.TA0011": "Impact",
}
"""The sixteen ATLAS tactics, in the matrix's left-to-right order."""

_RECON = "AML.TA0002"
_RESOURCE = "AML.TA0003"
_INITIAL = "AML.TA0004"
_MODEL_ACCESS = "AML.TA0000"
_EXECUTION = "AML.TA0005"
_PERSISTENCE = "AML.TA0006"
_PRIVESC = "AML.TA0012"
_EVASION = "AML.TA0007"
_CREDENTIALS = "AML.TA0013"
_DISCOVERY = "AML.TA0008"
_LATERAL = "AML.TA0015"
_COLLECTION = "AML.TA0009"
_STAGING = "AML.TA0001"
_C2 = "AML.TA0014"
_EXFILTRATION = "AML.TA0010"
_IMPACT = "AML.TA0011"


@dataclass(frozen=True, slots=True)
class Technique:
    """An ATLAS technique (or sub-technique): its name and the tactics ATLAS files it under."""

    id: str
    name: str
    tactics: tuple[str, ...]


def _t(tid: str, name: str, *tactics: str) -> Technique:
    return Technique(tid, name, tactics)


_TECHNIQUES: tuple[Technique, ...] = (
    # Reconnaissance
    _t("AML.T0000", "Search Open Technical Databases", _RECON),
    _t("AML.T0001", "Search Open AI Vulnerability Analysis", _RECON),
    _t("AML.T0003", "Search Victim-Owned Websites", _RECON),
    _t("AML.T0006", "Active Scanning", _RECON),
    _t("AML.T0064", "Gather RAG-Indexed Targets", _RECON),
    _t("AML.T0087", "Gather Victim Identity Information", _RECON),
    # Resource development
    _t("AML.T0002", "Acquire Public AI Artifacts", _RESOURCE),
    _t("AML.T0008", "Acquire Infrastructure", _RESOURCE),
    _t("AML.T0016", "Obtain Capabilities", _RESOURCE),
    _t("AML.T0017", "Develop Capabilities", _RESOURCE),
    _t("AML.T0019", "Publish Poisoned Datasets", _RESOURCE),
    _t("AML.T0020", "Poison Training Data", _RESOURCE, _PERSISTENCE),
    _t("AML.T0021", "Establish Accounts", _RESOURCE),
    _t("AML.T0058", "Publish Poisoned Models", _RESOURCE),
    _t("AML.T0060", "Publish Hallucinated Entities", _RESOURCE),
    _t("AML.T0065", "LLM Prompt Crafting", _RESOURCE),
    _t("AML.T0066", "Retrieval Content Crafting", _RESOURCE),
    _t("AML.T0104", "Publish Poisoned AI Agent Tool", _RESOURCE),
    # Initial access
    _t("AML.T0010", "AI Supply Chain Compromise", _INITIAL),
    _t("AML.T0010.000", "AI Supply Chain Compromise: Hardware", _INITIAL),
    _t("AML.T0010.001", "AI Supply Chain Compromise: AI Software", _INITIAL),
    _t("AML.T0010.002", "AI Supply Chain Compromise: Data", _INITIAL),
    _t("AML.T0010.003", "AI Supply Chain Compromise: Model", _INITIAL),
    _t("AML.T0010.004", "AI Supply Chain Compromise: Container Registry", _INITIAL),
    _t("AML.T0010.005", "AI Supply Chain Compromise: AI Agent Tool", _INITIAL),
    _t("AML.T0012", "Valid Accounts", _INITIAL),
    _t("AML.T0015", "Evade AI Model", _INITIAL, _EVASION, _IMPACT),
    _t("AML.T0049", "Exploit Public-Facing Application", _INITIAL),
    _t("AML.T0052", "Phishing", _INITIAL, _LATERAL),
    _t("AML.T0052.000", "Phishing: Spearphishing via Social Engineering LLM", _INITIAL, _LATERAL),
    _t("AML.T0052.001", "Phishing: Deepfake-Assisted Phishing", _INITIAL, _LATERAL),
    _t("AML.T0078", "Drive-by Compromise", _INITIAL),
    # AI model access
    _t("AML.T0040", "AI Model Inference API Access", _MODEL_ACCESS),
    _t("AML.T0044", "Full AI Model Access", _MODEL_ACCESS),
    _t("AML.T0047", "AI-Enabled Product or Service", _MODEL_ACCESS),
    # Execution
    _t("AML.T0011", "User Execution", _EXECUTION),
    _t("AML.T0011.000", "User Execution: Unsafe AI Artifacts", _EXECUTION),
    _t("AML.T0011.001", "User Execution: Malicious Package", _EXECUTION),
    _t("AML.T0050", "Command and Scripting Interpreter", _EXECUTION),
    _t("AML.T0051", "LLM Prompt Injection", _EXECUTION),
    _t("AML.T0051.000", "LLM Prompt Injection: Direct", _EXECUTION),
    _t("AML.T0051.001", "LLM Prompt Injection: Indirect", _EXECUTION),
    _t("AML.T0051.002", "LLM Prompt Injection: Triggered", _EXECUTION),
    _t("AML.T0053", "AI Agent Tool Invocation", _EXECUTION, _PRIVESC),
    # Persistence
    _t("AML.T0018", "Manipulate AI Model", _PERSISTENCE, _STAGING),
    _t("AML.T0018.000", "Manipulate AI Model: Poison AI Model", _PERSISTENCE, _STAGING),
    _t(
        "AML.T0018.001",
        "Manipulate AI Model: Modify AI Model Architecture",
        _PERSISTENCE,
        _STAGING,
    ),
    _t("AML.T0018.002", "Manipulate AI Model: Embed Malware", _PERSISTENCE, _STAGING),
    _t("AML.T0061", "LLM Prompt Self-Replication", _PERSISTENCE),
    _t("AML.T0070", "RAG Poisoning", _PERSISTENCE),
    _t("AML.T0080", "AI Agent Context Poisoning", _PERSISTENCE),
    _t("AML.T0080.000", "AI Agent Context Poisoning: Memory", _PERSISTENCE),
    _t("AML.T0080.001", "AI Agent Context Poisoning: Thread", _PERSISTENCE),
    _t("AML.T0081", "Modify AI Agent Configuration", _PERSISTENCE),
    _t("AML.T0110", "AI Agent Tool Poisoning", _PERSISTENCE),
    # Privilege escalation
    _t("AML.T0054", "LLM Jailbreak", _PRIVESC, _EVASION),
    # Defense evasion
    _t("AML.T0068", "LLM Prompt Obfuscation", _EVASION),
    _t("AML.T0071", "False RAG Entry Injection", _EVASION),
    _t("AML.T0073", "Impersonation", _EVASION),
    _t("AML.T0074", "Masquerading", _EVASION),
    _t("AML.T0076", "Corrupt AI Model", _EVASION),
    # Credential access
    _t("AML.T0055", "Unsecured Credentials", _CREDENTIALS),
    _t("AML.T0082", "RAG Credential Harvesting", _CREDENTIALS),
    _t("AML.T0083", "Credentials from AI Agent Configuration", _CREDENTIALS),
    _t("AML.T0098", "AI Agent Tool Credential Harvesting", _CREDENTIALS),
    # Discovery
    _t("AML.T0007", "Discover AI Artifacts", _DISCOVERY),
    _t("AML.T0013", "Discover AI Model Ontology", _DISCOVERY),
    _t("AML.T0014", "Discover AI Model Family", _DISCOVERY),
    _t("AML.T0062", "Discover LLM Hallucinations", _DISCOVERY),
    _t("AML.T0063", "Discover AI Model Outputs", _DISCOVERY),
    _t("AML.T0069", "Discover LLM System Information", _DISCOVERY),
    _t("AML.T0075", "Cloud Service Discovery", _DISCOVERY),
    _t("AML.T0084", "Discover AI Agent Configuration", _DISCOVERY),
    # Lateral movement
    _t("AML.T0091", "Use Alternate Authentication Material", _LATERAL),
    # Collection
    _t("AML.T0035", "AI Artifact Collection", _COLLECTION),
    _t("AML.T0036", "Data from Information Repositories", _COLLECTION),
    _t("AML.T0037", "Data from Local System", _COLLECTION),
    _t("AML.T0085", "Data from AI Services", _COLLECTION),
    # AI attack staging
    _t("AML.T0005", "Create Proxy AI Model", _STAGING),
    _t("AML.T0042", "Verify Attack", _STAGING),
    _t("AML.T0043", "Craft Adversarial Data", _STAGING),
    _t("AML.T0088", "Generate Deepfakes", _STAGING),
    _t("AML.T0102", "Generate Malicious Commands", _STAGING),
    # Command and control
    _t("AML.T0072", "Reverse Shell", _C2),
    _t("AML.T0096", "AI Service API", _C2),
    # Exfiltration
    _t("AML.T0024", "Exfiltration via AI Inference API", _EXFILTRATION),
    _t(
        "AML.T0024.000",
        "Exfiltration via AI Inference API: Infer Training Data Membership",
        _EXFILTRATION,
    ),
    _t("AML.T0024.001", "Exfiltration via AI Inference API: Invert AI Model", _EXFILTRATION),
    _t("AML.T0024.002", "Exfiltration via AI Inference API: Extract AI Model", _EXFILTRATION),
    _t("AML.T0025", "Exfiltration via Cyber Means", _EXFILTRATION),
    _t("AML.T0056", "Extract LLM System Prompt", _EXFILTRATION),
    _t("AML.T0057", "LLM Data Leakage", _EXFILTRATION),
    _t("AML.T0077", "LLM Response Rendering", _EXFILTRATION),
    _t("AML.T0086", "Exfiltration via AI Agent Tool Invocation", _EXFILTRATION),
    # Impact
    _t("AML.T0029", "Denial of AI Service", _IMPACT),
    _t("AML.T0031", "Erode AI Model Integrity", _IMPACT),
    _t("AML.T0034", "Cost Harvesting", _IMPACT),
    _t("AML.T0046", "Spamming AI System with Chaff Data", _IMPACT),
    _t("AML.T0048", "External Harms", _IMPACT),
    _t("AML.T0048.000", "External Harms: Financial Harm", _IMPACT),
    _t("AML.T0048.001", "External Harms: Reputational Harm", _IMPACT),
    _t("AML.T0048.002", "External Harms: Societal Harm", _IMPACT),
    _t("AML.T0048.003", "External Harms: User Harm", _IMPACT),
    _t("AML.T0048.004", "External Harms: AI Intellectual Property Theft", _IMPACT),
    _t("AML.T0059", "Erode Dataset Integrity", _IMPACT),
    _t("AML.T0101", "Data Destruction via AI Agent Tool Invocation", _IMPACT),
)

ATLAS_TECHNIQUES: dict[str, Technique] = {t.id: t for t in _TECHNIQUES}
"""ATLAS technique and sub-technique ids → name and tactics."""

OWASP_LLM: dict[str, str] = {
    "LLM01": "Prompt Injection",
    "LLM02": "Sensitive Information Disclosure",
    "LLM03": "Supply Chain",
    "LLM04": "Data and Model Poisoning",
    "LLM05": "Improper Output Handling",
    "LLM06": "Excessive Agency",
    "LLM07": "System Prompt Leakage",
    "LLM08": "Vector and Embedding Weaknesses",
    "LLM09": "Misinformation",
    "LLM10": "Unbounded Consumption",
}
"""OWASP Top 10 for LLM Applications (2025): id → category name."""

_PARENT = re.compile(r"^(AML\.T\d{4})\.\d{3}$")


def is_known_atlas(atlas_id: str) -> bool:
    """True for a listed tactic, technique or sub-technique id."""
    return atlas_id in ATLAS_TACTICS or atlas_id in ATLAS_TECHNIQUES


def atlas_name(atlas_id: str) -> str:
    """The name of a tactic or technique id (``KeyError`` if it is not listed)."""
    if atlas_id in ATLAS_TACTICS:
        return ATLAS_TACTICS[atlas_id]
    return ATLAS_TECHNIQUES[atlas_id].name


def tactics_of(atlas_id: str) -> tuple[str, ...]:
    """The tactics an id stands for: itself for a tactic, ATLAS's tactics for a technique.

    An unlisted sub-technique of a listed technique takes its parent's tactics, as
    in ATLAS; anything else unknown has none.
    """
    if atlas_id in ATLAS_TACTICS:
        return (atlas_id,)
    technique = ATLAS_TECHNIQUES.get(atlas_id)
    if technique is not None:
        return technique.tactics
    parent = _PARENT.match(atlas_id)
    if parent and parent.group(1) in ATLAS_TECHNIQUES:
        return ATLAS_TECHNIQUES[parent.group(1)].tactics
    return ()
