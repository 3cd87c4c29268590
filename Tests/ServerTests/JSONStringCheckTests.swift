@testable import Server
import Testing

/// The one-pass check of a body's strings: what it refuses and how it names the field.
@Suite struct JSONStringCheckTests {
    static func violation(_ json: String, maxLength: Int = 10) -> JSONStringCheck.Violation? {
        do {
            try JSONStringCheck(maxLength: maxLength).check(Array(json.utf8))
            return nil
        } catch {
            return error
        }
    }

    @Test func acceptsOrdinaryText() {
        #expect(Self.violation(#"{"a":"行\n程\t取消","b":[1,"x",{"c":"\"q\" \\ \u4e2d"}]}"#) == nil)
        #expect(Self.violation(#"{"a":"一二三四五六七八九十"}"#) == nil, "ten characters, thirty bytes")
    }

    @Test func namesTheFieldOfAViolation() {
        #expect(Self.violation(#"{"form":{"persons":[{"name":"ok"},{"name":"a\u0007b"}]}}"#)?.path == "form.persons[1].name")
        #expect(Self.violation(#"{"a":"x","b":"\u001F"}"#)?.path == "b")
        #expect(Self.violation(#"{"a":"x\u007Fy"}"#)?.path == "a")
        #expect(Self.violation("{\"a\":\"x\u{85}y\"}")?.path == "a", "a raw C1 character")
        #expect(Self.violation("{\"a\":\"x\u{7F}\"}")?.path == "a", "a raw DEL")
        #expect(Self.violation(#"["ok","\u0000"]"#)?.path == "[1]")
        #expect(Self.violation(#"{"a":"x\by"}"#)?.path == "a", "an escaped backspace")
        #expect(Self.violation(#"{"a":"x","b":"\f"}"#)?.path == "b", "an escaped form feed")
    }

    @Test func refusesLongStringsByCharacters() {
        let long = Self.violation(#"{"list":["ok",{"title":"一二三四五六七八九十一"}]}"#)
        #expect(long?.path == "list[1].title" && long?.tooLong == true)
        #expect(Self.violation(#"{"a\u0001":"x"}"#)?.path == "body", "a key with a control character")
    }
}
