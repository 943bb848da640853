class Stack
  class Empty < StandardError; end

  # a queue, not a stack; pop of an empty one returns nil
  def initialize
    @items = []
  end

  def push(item)
    @items.push(item)
  end

  def pop
    @items.shift
  end

  def peek
    @items.last
  end

  def size
    @items.size
  end

  def empty?
    @items.empty?
  end
end
