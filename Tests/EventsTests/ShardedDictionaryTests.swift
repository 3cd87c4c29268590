import Testing
import TestSupport

@testable import Events

/// The decider's sharded dictionary: a dictionary to its users, spread over its shards inside.
@Suite struct ShardedDictionaryTests {
    @Test("20,000 random inserts, changes (in place, with and without a default) and removals leave what a dictionary holds after the same")
    func behavesAsADictionary() {
        var random = SplitMix64(seed: 7)
        var sharded = ShardedDictionary<String, Int>()
        var model = [String: Int]()
        for step in 0..<20_000 {
            let key = "A\(random.next() % 3_000)"
            switch random.next() % 5 {
            case 0, 1:
                sharded[key] = step
                model[key] = step
            case 2:
                sharded[key]? += 1
                model[key]? += 1
            case 3:
                sharded[key, default: -1] += 2
                model[key, default: -1] += 2
            default:
                #expect(sharded.removeValue(forKey: key) == model.removeValue(forKey: key))
            }
            #expect(sharded[key] == model[key])
        }
        #expect(sharded.count == model.count && !sharded.isEmpty)
        #expect(Dictionary(uniqueKeysWithValues: sharded.map { ($0.key, $0.value) }) == model)
        #expect(Set(sharded.keys) == Set(model.keys))
        #expect(sharded.values.sorted() == model.values.sorted())
        let even = sharded.filter { $0.value.isMultiple(of: 2) }
        #expect(Dictionary(uniqueKeysWithValues: even.map { ($0.key, $0.value) }) == model.filter { $0.value.isMultiple(of: 2) })
        // Equal contents are equal, whatever order they came in.
        #expect(ShardedDictionary(model.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }) == sharded)
        #expect(ShardedDictionary(model.sorted { $0.key > $1.key }.map { ($0.key, $0.value) }) == sharded)
        sharded[model.keys.first!]! += 1
        #expect(ShardedDictionary(model.map { ($0.key, $0.value) }) != sharded)
    }

    @Test("64,000 keys spread over every shard, none holding more than twice its share")
    func keysSpreadOverEveryShard() {
        var sharded = ShardedDictionary<String, Int>()
        for number in 0..<64_000 { sharded["S2026-\(number)"] = number }
        let share = 64_000 / ShardedDictionary<String, Int>.shardCount
        #expect(sharded.shardCounts.count == ShardedDictionary<String, Int>.shardCount)
        #expect(sharded.shardCounts.allSatisfy { $0 > share / 2 && $0 < share * 2 }, "\(sharded.shardCounts)")
        #expect(ShardedDictionary<String, Int>().isEmpty && ShardedDictionary<String, Int>().count == 0)
    }
}
