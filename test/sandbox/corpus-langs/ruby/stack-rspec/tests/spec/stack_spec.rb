require 'stack'

RSpec.describe Stack do
  subject(:stack) { described_class.new }

  it 'starts empty' do
    expect(stack).to be_empty
    expect(stack.size).to eq(0)
  end

  describe '#push' do
    it 'adds an item on top' do
      stack.push(1)
      stack.push(2)
      expect(stack.peek).to eq(2)
      expect(stack.size).to eq(2)
    end
  end

  describe '#pop' do
    it 'returns the last item pushed' do
      stack.push(:a)
      stack.push(:b)
      expect(stack.pop).to eq(:b)
      expect(stack.pop).to eq(:a)
    end

    context 'when empty' do
      it 'raises Stack::Empty' do
        expect { stack.pop }.to raise_error(Stack::Empty)
      end
    end
  end

  xit 'has a maximum size' do
    expect(described_class.new(max: 1).push(1).push(2)).to be_nil
  end
end
