import Foundation
import Testing
@testable import Triage

@Test func csvHandlesQuotesEmbeddedNewlinesAndCRLF() throws {
    let text = "a,b,c\r\n1,\"x, \"\"y\"\"\",z\r\n2,\"multi\nline\",\r\n\r\n3,last,row"
    let rows = try CSVReader(text: text).rows()
    #expect(rows.map(\.line) == [1, 2, 3, 6])
    #expect(rows[1].fields == ["1", "x, \"y\"", "z"])
    #expect(rows[2].fields == ["2", "multi\nline", ""])
    #expect(rows[3].fields == ["3", "last", "row"])
}

@Test func anUnterminatedCSVQuoteIsReportedWhereItOpened() {
    #expect(throws: CSVReader.SyntaxError(line: 2, message: "a quoted field opened on line 2 is never closed")) {
        try CSVReader(text: "a,b\n1,\"open\n2,x\n").rows()
    }
}

@Test func medQuADItemsExposeElementTextAttributesAndDocumentContext() throws {
    let xml = """
    <?xml version="1.0"?><Document id="0001" source="CancerGov"><Focus>Chest pain</Focus><QAPairs>
    <QAPair pid="1"><Question qid="q1" qtype="triage">Pain &amp; sweating</Question><Answer urgency="immediate">why</Answer></QAPair>
    <QAPair pid="2"><Answer urgency="medium">no question</Answer></QAPair>
    </QAPairs></Document>
    """
    let items = try MedQuADReader(data: Data(xml.utf8)).items()
    #expect(items.count == 2)
    #expect(items[0].fields["Question"] == "Pain & sweating")
    #expect(items[0].fields["Question@qid"] == "q1")
    #expect(items[0].fields["Answer@urgency"] == "immediate")
    #expect(items[0].fields["Document@source"] == "CancerGov")
    #expect(items[0].fields["QAPair@pid"] == "1")
    #expect(items[0].fields["Focus"] == "Chest pain")
    #expect(items[1].fields["Question"] == nil)
}

@Test func malformedXMLIsASyntaxErrorWithALine() {
    #expect(throws: MedQuADReader.SyntaxError(line: 2, message: "mismatched closing tag")) {
        try MedQuADReader(data: Data("<Document>\n<QAPair><Question>x</QAPair>".utf8)).items()
    }
    #expect(throws: MedQuADReader.SyntaxError.self) {
        try MedQuADReader(data: Data("<Document><QAPair>".utf8)).items()
    }
}

@Test func theNormalizerMapsLabelsAndLanguagesAndQuarantinesTheRest() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("norm-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    try Data("""
    <Document><QAPairs>
    <QAPair><Question qid="x1">Douleur thoracique depuis deux heures avec des sueurs et une gêne.</Question><Answer urgency="Immediate"/></QAPair>
    <QAPair><Question qid="x2">1234 5678</Question><Answer urgency="delayed"/></QAPair>
    <QAPair><Question qid="x3">Sore throat for three days with a mild fever and a cough.</Question><Answer urgency="P2"/></QAPair>
    </QAPairs></Document>
    """.utf8).write(to: dir.appendingPathComponent("a.xml"))
    let mapping = SourceMapping(name: "x", path: dir.path, format: .xml,
                                fields: ["id": "Question@qid", "text": "Question", "label": "Answer@urgency"],
                                labels: ["p2": .medium])
    var normalizer = RecordNormalizer()
    let result = try normalizer.normalize([mapping]) { URL(fileURLWithPath: $0) }
    #expect(result.records.map(\.id) == ["x1", "x3"])
    #expect(result.records.map(\.lang) == [.fr, .en])
    #expect(result.records.map(\.label) == [.immediate, .medium])
    #expect(result.quarantined.map(\.reason) == [.undeterminedLanguage])
    #expect(result.quarantined.first?.location.hasSuffix("a.xml#2") == true)
    #expect(result.detectedLanguage == 2)
}

@Test func aCSVHeaderWithoutTheMappedColumnsIsAClearErrorAndABOMIsIgnored() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("csvmap-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("a.csv")
    try Data("\u{FEFF}id,text,level\n1,Chest pain radiating to the left arm with sweating since an hour.,immediate\n".utf8).write(to: file)
    let good = SourceMapping(name: "a", path: file.path, format: .csv, fields: ["id": "id", "text": "text", "label": "level"])
    var normalizer = RecordNormalizer()
    #expect(try normalizer.normalize([good]) { URL(fileURLWithPath: $0) }.records.count == 1)
    let bad = SourceMapping(name: "b", path: file.path, format: .csv, fields: ["id": "id", "text": "body", "label": "level"])
    var other = RecordNormalizer()
    do {
        _ = try other.normalize([bad]) { URL(fileURLWithPath: $0) }
        Issue.record("expected an error")
    } catch let error as DataFileError {
        #expect(error.line == 1)
        #expect(error.message.contains("no column 'body'"))
        #expect(error.message.contains("'id', 'text', 'level'"))
    }
}
