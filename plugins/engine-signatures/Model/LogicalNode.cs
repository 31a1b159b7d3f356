namespace Postern.Plugins.Engine.Signatures.Model;

/// <summary>
/// One node of a logical expression: a subsignature reference (<see cref="Subsignature"/> at least 0) or an
/// <c>&amp;</c>/<c>|</c> of two nodes, either optionally followed by a count condition <c>=X</c>, <c>&gt;X</c>,
/// <c>&lt;X</c> (blocks also <c>,Y</c>: at least Y distinct subsignatures).
/// </summary>
/// <param name="Operator"><c>&amp;</c>, <c>|</c>, or <c>\0</c> for a subsignature reference.</param>
/// <param name="Subsignature">The subsignature index of a reference, -1 for an operator node.</param>
/// <param name="Left">The left operand of an operator node.</param>
/// <param name="Right">The right operand of an operator node.</param>
/// <param name="Condition"><c>=</c>, <c>&gt;</c>, <c>&lt;</c>, or <c>\0</c> for none.</param>
/// <param name="Count">The X of the condition.</param>
/// <param name="Distinct">The Y of a block's condition, 0 when absent.</param>
internal sealed record LogicalNode(
    char Operator,
    int Subsignature,
    LogicalNode? Left,
    LogicalNode? Right,
    char Condition,
    int Count,
    int Distinct)
{
    public static LogicalNode Reference(int subsignature, char condition, int count) =>
        new('\0', subsignature, null, null, condition, count, 0);

    public static LogicalNode Combine(char op, LogicalNode left, LogicalNode right, char condition, int count, int distinct) =>
        new(op, -1, left, right, condition, count, distinct);

    /// <summary>The highest subsignature index the expression refers to.</summary>
    public int HighestSubsignature =>
        Operator == '\0' ? Subsignature : Math.Max(Left!.HighestSubsignature, Right!.HighestSubsignature);
}
